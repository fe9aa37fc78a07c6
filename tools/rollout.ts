import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { runProcess, shellLine, type ProcessRunner } from "./lib/process.js";
import { RolloutError, rolloutSteps } from "./rollout/steps.js";

const usage = `usage: npm run rollout -- [--env <name>]... [--from <name>] [--central] [--parallelism <n>] [--skip-synth] [--dry-run]

Deploys environments in promotion order, each with "cdktf deploy '<env>-*'" and at most
--parallelism (default 4) stacks at a time, after one synth (unless --skip-synth). --central deploys
the central stack first (--env central: only it). --env picks environments, --from starts at one
and takes every later one.
Stops at the first failure: later environments are not touched. --dry-run prints the commands.
Needs credentials that may assume org.deployRoleName in every account.`;

export interface RolloutDeps {
  readonly io: CommandIo;
  readonly run: ProcessRunner;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The organization to roll out (the CLI passes `environments/`). */
  readonly input: OrgConfigInput;
}

/** What `npm run rollout` runs; returns the exit code. */
export async function rolloutCommand(argv: readonly string[], deps: RolloutDeps): Promise<number> {
  const { io } = deps;
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        env: { type: "string", multiple: true },
        from: { type: "string" },
        central: { type: "boolean", default: false },
        parallelism: { type: "string", default: "4" },
        "skip-synth": { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  const parallelism = Number(values.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 32) {
    io.error(`--parallelism: ${JSON.stringify(values.parallelism)} is not a number of stacks: a whole number from 1 to 32`);
    return 2;
  }
  if (deps.env.PATCHLINE_OFFLINE === "1" && !values["dry-run"]) {
    io.error("PATCHLINE_OFFLINE=1 is set: an offline synth has no assume-role and a local backend, and must never be deployed; unset it");
    return 2;
  }
  let steps;
  try {
    steps = rolloutSteps(parseOrgConfig(deps.input), {
      ...(values.env ? { environments: values.env } : {}),
      ...(values.from ? { from: values.from } : {}),
      central: values.central,
      parallelism,
      synth: !values["skip-synth"],
    });
  } catch (error) {
    if (error instanceof RolloutError) io.error(`--env/--from: ${error.message}`);
    else if (error instanceof ConfigError) io.error(error.message);
    else throw error;
    return 2;
  }

  if (values["dry-run"]) {
    io.print(
      ["rollout, in this order (dry run: nothing runs):", ...steps.map((s, i) => `  ${i + 1}. ${s.label.padEnd(8)} ${shellLine(s.command, s.args)}`)].join(
        "\n",
      ),
    );
    return 0;
  }
  for (const [i, step] of steps.entries()) {
    io.print(`==> ${step.label}: ${shellLine(step.command, step.args)}`);
    const { code, stderr } = await deps.run(step.command, step.args);
    if (code !== 0) {
      const notRun = steps.slice(i + 1).map((s) => s.label);
      io.error(
        `rollout stopped: ${step.label} failed (exit ${code})${stderr ? `: ${stderr.trim()}` : ""}${notRun.length > 0 ? `; not run: ${notRun.join(", ")}` : ""}`,
      );
      return 1;
    }
  }
  io.print(`rollout done: ${steps.map((s) => s.label).join(" → ")}`);
  return 0;
}

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = await rolloutCommand(process.argv.slice(2), {
    io: { print: console.log, error: console.error, now: () => new Date() },
    run: runProcess,
    env: process.env,
    input: organization,
  });
}
