import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { runProcess, shellLine, type ProcessRunner } from "./lib/process.js";
import { deployReviewed } from "./rollout/deploy-reviewed.js";
import { readReviewed, ReviewedFileError, type ReviewedPlans } from "./rollout/reviewed.js";
import { CENTRAL_STACK, RolloutError, rolloutSteps, stacksOfStep } from "./rollout/steps.js";

const usage = `usage: npm run rollout -- [--env <name>]... [--from <name>] [--central] [--parallelism <n>] [--skip-synth] [--dry-run]
                           [--reviewed <plan-review.json> [--accept-changed-plan <stack>]...]

Deploys environments in promotion order, each with "cdktf deploy '<env>-*'" and at most
--parallelism (default 4) stacks at a time, after one synth (unless --skip-synth). --central deploys
the central stack first (--env central: only it). --env picks environments, --from starts at one
and takes every later one.
Stops at the first failure: later environments are not touched. --dry-run prints the commands.

--reviewed deploys exactly what a pull request's review showed: the JSON of npm run plan-review
holds each reviewed plan's fingerprint (its resource addresses, actions and a hash of the planned
values). Each stack is planned again and its saved plan applied only when it has the same
fingerprint (a stack the review found unchanged must plan no changes); terraform itself refuses
the saved plan if the state changed in between. A stack whose plan differs is not applied: the
addresses that differ are named, with why (drift found by the refresh, main moved on since the
review, or another change of the state), and the rollout stops after that environment.
--accept-changed-plan <stack> applies that stack's plan as it is now (repeat it, or list several
stacks separated by spaces or commas).
With --dry-run, --reviewed plans and checks every stack and applies nothing.
Needs credentials that may assume org.deployRoleName in every account.`;

export interface RolloutDeps {
  readonly io: CommandIo;
  readonly run: ProcessRunner;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The organization to roll out (the CLI passes `environments/`). */
  readonly input: OrgConfigInput;
  /** The synth output the deploys read. @default "cdktf.out" */
  readonly outdir?: string;
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
        reviewed: { type: "string" },
        "accept-changed-plan": { type: "string", multiple: true },
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
  let config;
  let reviewed: ReviewedPlans | undefined;
  try {
    config = parseOrgConfig(deps.input);
    reviewed = values.reviewed === undefined ? undefined : readReviewed(values.reviewed);
    steps = rolloutSteps(config, {
      ...(values.env ? { environments: values.env } : {}),
      ...(values.from ? { from: values.from } : {}),
      central: values.central,
      parallelism,
      synth: !values["skip-synth"],
    });
  } catch (error) {
    if (error instanceof RolloutError) io.error(`--env/--from: ${error.message}`);
    else if (error instanceof ConfigError || error instanceof ReviewedFileError) io.error(error.message);
    else throw error;
    return 2;
  }

  // a stack per option, or several in one separated by spaces or commas (a workflow input)
  const accepted = new Set((values["accept-changed-plan"] ?? []).flatMap((list) => list.split(/[\s,]+/).filter(Boolean)));
  const stacksOf = (label: string) => stacksOfStep(config, label);
  // a stack of another environment is not deployed here: the deploy workflow passes one list to every job
  const everyStack = new Set([CENTRAL_STACK, ...config.environments.flatMap((e) => stacksOf(e.name))]);
  const unknown = [...accepted].filter((stack) => !everyStack.has(stack));
  if (unknown.length > 0 || (accepted.size > 0 && !reviewed)) {
    io.error(
      reviewed
        ? `--accept-changed-plan: ${unknown.join(", ")} ${unknown.length === 1 ? "is not a stack" : "are not stacks"} of this configuration`
        : "--accept-changed-plan needs --reviewed: without a review every plan is applied as it is",
    );
    return 2;
  }
  if (values["dry-run"] && !reviewed) {
    io.print(
      ["rollout, in this order (dry run: nothing runs):", ...steps.map((s, i) => `  ${i + 1}. ${s.label.padEnd(8)} ${shellLine(s.command, s.args)}`)].join(
        "\n",
      ),
    );
    return 0;
  }
  for (const [i, step] of steps.entries()) {
    const notRun = steps.slice(i + 1).map((s) => s.label);
    const notRunNote = notRun.length > 0 ? `; not run: ${notRun.join(", ")}` : "";
    if (reviewed && step.label !== "synth") {
      const stacks = stacksOf(step.label);
      io.print(
        `==> ${step.label}: ${stacks.length} stack${stacks.length === 1 ? "" : "s"}, each applied only as reviewed${values["dry-run"] ? " (dry run: nothing is applied)" : ""}`,
      );
      const results = await deployReviewed({
        stacks,
        outdir: deps.outdir ?? "cdktf.out",
        reviewed,
        acceptChanged: accepted,
        dryRun: values["dry-run"],
        parallelism: step.label === "central" ? 1 : parallelism,
        run: deps.run,
        log: io.print,
      });
      for (const r of results) io.print(`  ${r.stack}: ${r.outcome}`);
      const stopped = results.filter((r) => r.outcome === "refused" || r.outcome === "failed");
      if (stopped.length > 0) {
        io.error(
          `rollout stopped after ${step.label}: ${stopped.map((r) => `${r.stack} ${r.outcome}`).join(", ")}${notRunNote}\n\n${stopped.map((r) => `${r.stack}: ${r.detail}`).join("\n\n")}`,
        );
        return 1;
      }
      continue;
    }
    io.print(`==> ${step.label}: ${shellLine(step.command, step.args)}`);
    const { code, stderr } = await deps.run(step.command, step.args);
    if (code !== 0) {
      io.error(`rollout stopped: ${step.label} failed (exit ${code})${stderr ? `: ${stderr.trim()}` : ""}${notRunNote}`);
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
