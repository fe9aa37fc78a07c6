import { describe, expect, it } from "vitest";
import type { RunOptions, RunResult } from "../lib/process.js";
import { rolloutCommand } from "../rollout.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";

/** Runs the rollout with a runner that records each command and fails the one whose line contains `failOn`. */
async function rollout(args: string[], options: { failOn?: string; env?: Record<string, string> } = {}) {
  const ran: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const run = async (command: string, commandArgs: readonly string[], _options?: RunOptions): Promise<RunResult> => {
    const line = [command, ...commandArgs].join(" ");
    ran.push(line);
    return options.failOn && line.includes(options.failOn) ? { code: 1, stdout: "", stderr: "" } : { code: 0, stdout: "", stderr: "" };
  };
  const code = await rolloutCommand(args, {
    io: { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date() },
    run,
    env: options.env ?? {},
    input: exampleOrganization,
  });
  return { code, ran, out: out.join("\n"), err: err.join("\n") };
}

describe("staged rollout", () => {
  it("synthesizes once, deploys central if asked, then each environment in promotion order with bounded parallelism", async () => {
    const result = await rollout(["--central", "--parallelism", "3"]);
    expect(result.code).toBe(0);
    expect(result.ran).toEqual([
      "npm run synth",
      "npx cdktf deploy central --skip-synth --auto-approve --parallelism 1",
      "npx cdktf deploy dev-* --skip-synth --auto-approve --parallelism 3",
      "npx cdktf deploy preprod-* --skip-synth --auto-approve --parallelism 3",
      "npx cdktf deploy prod-* --skip-synth --auto-approve --parallelism 3",
    ]);
    expect(result.out.split("\n").at(-1)).toBe("rollout done: synth → central → dev → preprod → prod");
  });

  it("stops at the first failure and names what did not run", async () => {
    const result = await rollout([], { failOn: "preprod-*" });
    expect(result.code).toBe(1);
    expect(result.ran.at(-1)).toBe("npx cdktf deploy preprod-* --skip-synth --auto-approve --parallelism 4");
    expect(result.ran).not.toContain("npx cdktf deploy prod-* --skip-synth --auto-approve --parallelism 4");
    expect(result.err).toBe("rollout stopped: preprod failed (exit 1); not run: prod");
  });

  it("does not deploy when the synth fails", async () => {
    const result = await rollout([], { failOn: "synth" });
    expect(result).toMatchObject({ code: 1, ran: ["npm run synth"], err: "rollout stopped: synth failed (exit 1); not run: dev, preprod, prod" });
  });

  it("keeps the promotion order whatever order --env names them in, and starts at --from", async () => {
    expect((await rollout(["--env", "prod", "--env", "dev", "--skip-synth"])).ran).toEqual([
      "npx cdktf deploy dev-* --skip-synth --auto-approve --parallelism 4",
      "npx cdktf deploy prod-* --skip-synth --auto-approve --parallelism 4",
    ]);
    expect((await rollout(["--from", "preprod", "--skip-synth"])).ran.map((l) => l.split(" ")[3])).toEqual(["preprod-*", "prod-*"]);
  });

  it("deploys only the central stack with --env central", async () => {
    expect((await rollout(["--env", "central"])).ran).toEqual(["npm run synth", "npx cdktf deploy central --skip-synth --auto-approve --parallelism 1"]);
    expect((await rollout(["--env", "dev", "--env", "central", "--skip-synth"])).ran.map((l) => l.split(" ")[3])).toEqual(["central", "dev-*"]);
  });

  it("prints the commands, shell-quoted, and runs nothing with --dry-run", async () => {
    const result = await rollout(["--dry-run", "--from", "preprod"]);
    expect(result).toMatchObject({ code: 0, ran: [] });
    expect(result.out).toBe(
      [
        "rollout, in this order (dry run: nothing runs):",
        "  1. synth    npm run synth",
        "  2. preprod  npx cdktf deploy 'preprod-*' --skip-synth --auto-approve --parallelism 4",
        "  3. prod     npx cdktf deploy 'prod-*' --skip-synth --auto-approve --parallelism 4",
      ].join("\n"),
    );
  });

  it.each([
    [["--env", "qa"], {}, '--env/--from: "qa" is not an environment (promotion order: central → dev → preprod → prod)'],
    [["--from", "central"], {}, '--env/--from: "central" is not an environment (promotion order: dev → preprod → prod)'],
    [["--env", "dev", "--from", "preprod"], {}, "--env/--from: nothing to deploy: no environment of dev comes at or after preprod"],
    [["--parallelism", "0"], {}, '--parallelism: "0" is not a number of stacks: a whole number from 1 to 32'],
    [
      [],
      { PATCHLINE_OFFLINE: "1" },
      "PATCHLINE_OFFLINE=1 is set: an offline synth has no assume-role and a local backend, and must never be deployed; unset it",
    ],
  ])("refuses %j %j with exit 2 and runs nothing", async (args, env, message) => {
    expect(await rollout(args, { env })).toMatchObject({ code: 2, ran: [], err: message });
  });
});
