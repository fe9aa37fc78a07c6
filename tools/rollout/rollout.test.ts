import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fakeTerraform, writeSynthOutput } from "../../test/support/fake-terraform.js";
import type { RunOptions, RunResult } from "../lib/process.js";
import { planFingerprint } from "../plan-review/fingerprint.js";
import { rolloutCommand } from "../rollout.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";

const reviewedFile = join(mkdtempSync(join(tmpdir(), "patchline-rollout-")), "plan-review.json");
writeFileSync(reviewedFile, JSON.stringify({ fingerprints: {}, unchangedStacks: ["dev-web-dev"] }));
afterAll(() => rmSync(join(reviewedFile, ".."), { recursive: true, force: true }));

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
    [["--accept-changed-plan", "dev-web-dev"], {}, "--accept-changed-plan needs --reviewed: without a review every plan is applied as it is"],
    [["--reviewed", "/nonexistent/plan-review.json"], {}, "--reviewed: /nonexistent/plan-review.json: no such file"],
    [
      ["--reviewed", reviewedFile, "--env", "dev", "--accept-changed-plan", "prod-web-prod, prod-nope qa-web"],
      {},
      "--accept-changed-plan: prod-nope, qa-web are not stacks of this configuration",
    ],
  ])("refuses %j %j with exit 2 and runs nothing", async (args, env, message) => {
    expect(await rollout(args, { env })).toMatchObject({ code: 2, ran: [], err: message });
  });
});

describe("rollout --reviewed", () => {
  const plan = (duration: number) => ({
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_ssm_maintenance_window.us-east-1_MaintenanceWindows_dev-weekly_Window_1",
        mode: "managed",
        type: "aws_ssm_maintenance_window",
        name: "us-east-1_MaintenanceWindows_dev-weekly_Window_1",
        change: { actions: ["update"], before: { duration: 3 }, after: { duration }, after_unknown: {} },
      },
    ],
    configuration: { root_module: { resources: [] } },
  });

  it("applies the saved plan of a stack planned as reviewed, refuses the other and stops before the next environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patchline-rollout-reviewed-"));
    try {
      const outdir = writeSynthOutput(join(dir, "cdktf.out"), { "dev-payments-dev": { "cdk.tf.json": "{}" }, "dev-web-dev": { "cdk.tf.json": "{}" } });
      const reviewed = join(dir, "review.json");
      writeFileSync(
        reviewed,
        JSON.stringify({ fingerprints: { "dev-payments-dev": planFingerprint(plan(4)), "dev-web-dev": planFingerprint(plan(4)) }, unchangedStacks: [] }),
      );
      // dev-web-dev plans a duration of 5 now: not what was reviewed
      const terraform = fakeTerraform({}, { plan: (stack) => plan(stack === "dev-web-dev" ? 5 : 4) });
      const out: string[] = [];
      // an empty list, as the deploy workflow passes it on a push
      const code = await rolloutCommand(["--reviewed", reviewed, "--skip-synth", "--accept-changed-plan", ""], {
        io: { print: (t) => out.push(t), error: (t) => out.push(t), now: () => new Date() },
        run: terraform.run,
        env: {},
        input: exampleOrganization,
        outdir,
      });
      expect(code).toBe(1);
      expect(terraform.calls.filter((c) => c.startsWith("apply"))).toEqual(["apply dev-payments-dev"]);
      expect(out.join("\n")).toContain(
        [
          "rollout stopped after dev: dev-web-dev refused; not run: preprod, prod",
          "",
          "dev-web-dev: its plan differs from the reviewed one at 1 address:",
          "  aws_ssm_maintenance_window.us-east-1_MaintenanceWindows_dev-weekly_Window_1: planned values differ: the state is not the one reviewed (another deploy since, or drift the refresh does not show)",
          "plan it in a pull request again, or apply it as it is with --accept-changed-plan dev-web-dev",
        ].join("\n"),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
