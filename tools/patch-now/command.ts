import { emergencyRunId, nextEmergencySequence, percent } from "../../contracts/emergency-patch.js";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { Naming } from "../../stacks/naming.js";
import { parseCommandLine, type CommandIo } from "../lib/cli.js";
import { configOrReport } from "../lib/config.js";
import type { PatchNowAws } from "./aws.js";
import { resolvePlan, type ResolvedPlan } from "./plan.js";
import { parsePercent, parseWaves, parseWaveTimeout, PatchNowInputError } from "./waves.js";

export const DEFAULT_WAVES = "5%,25%,100%";
export const DEFAULT_MAX_FAILURE_RATE = "5%";

export const usage = `usage: npm run patch-now -- --environment <env> --reason "<why now>" [--patch-groups <a,b>]
         [--patches <KB or package ids> [--without-hooks]] [--waves ${DEFAULT_WAVES}] [--max-failure-rate ${DEFAULT_MAX_FAILURE_RATE}]
         [--wave-timeout <minutes>] [--dry-run]

Patches an environment now instead of in its maintenance windows: the windows' install commands
(document, reboot option, hooks, rate control) go to the instances the windows would patch (their
patch groups, tagged patch-policy=patch-on-schedule), account wave by account wave. A wave with
more failed instances than --max-failure-rate halts the run. The failure and notice channels are
told at the start, after each wave and at the end (docs/emergency-patching.md).
  --patch-groups      only these patch groups (default: every group of a window that installs)
  --patches           install only these patches (InstallOverrideList): KB ids or security
                      bulletins (MS17-023) on Windows, name.arch packages on Linux (openssl.x86_64,
                      wildcards allowed); needs AWS-RunPatchBaseline
  --without-hooks     with --patches, for windows with AWS-RunPatchBaselineWithHooks: send
                      AWS-RunPatchBaseline with the window's reboot option; the hooks do not run
  --waves             cumulative shares of the accounts: the canary wave's first (accounts[].wave),
                      each in the environment file's order (default ${DEFAULT_WAVES}; each wave
                      at least one account)
  --max-failure-rate  failed / targeted instances of a wave above which the run halts (default ${DEFAULT_MAX_FAILURE_RATE})
  --wave-timeout      minutes a wave's commands may run before the wave counts what has not
                      finished as failed (default: the longest duration of the windows whose
                      commands the run sends); a large fleet at a small maxConcurrency needs more
  --dry-run           print the waves and commands, start nothing
Exits 1 when the run cannot start, 2 on bad input.`;

export interface PatchNowDeps {
  readonly io: CommandIo;
  readonly input: OrgConfigInput;
  /** AWS in the central region (its region is the config's, known only after reading it). */
  readonly aws: (region: string) => PatchNowAws;
}

const split = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");

/** The run as a reader checks it before it starts: what is sent, the waves with their accounts and regions. */
export function describeRun(resolved: ResolvedPlan, shares: readonly number[]): string {
  const { plan } = resolved;
  const lines = [
    `Emergency patch run of ${plan.environment}`,
    `  reason: ${plan.reason}`,
    ...plan.commands.map(
      (c) =>
        `  window ${c.window}: patch groups ${c.patchGroups.join(", ")} with ${c.document} (${c.parameters.RebootOption?.[0]}), ${c.maxConcurrency} at a time, error threshold ${c.maxErrors}`,
    ),
    ...(plan.patches.length > 0 ? [`  only the named patches (InstallOverrideList): ${plan.patches.join(", ")}`] : []),
    ...(plan.withoutHooks ? ["  without the windows' lifecycle hooks (AWS-RunPatchBaseline)"] : []),
    ...resolved.notes.map((note) => `  note: ${note}`),
    `  instances tagged patch-policy=patch-on-schedule; a wave with more than ${percent(plan.maxFailureRatePercent)} failed instances halts the run; a wave may run ${plan.timeoutMinutes} minutes`,
    ...resolved.waves.flatMap((wave, i) => [
      `  wave ${i + 1} (${percent(shares[i]!)} of the accounts): ${wave.accounts.length} account${wave.accounts.length === 1 ? "" : "s"}`,
      ...wave.accounts.map((a) => `    ${a.name} (${a.id}): ${a.regions.join(", ")}`),
    ]),
  ];
  return lines.join("\n");
}

/** What `npm run patch-now` runs; returns the exit code. */
export async function patchNowCommand(argv: readonly string[], deps: PatchNowDeps): Promise<number> {
  const { io } = deps;
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        environment: { type: "string" },
        reason: { type: "string" },
        "patch-groups": { type: "string" },
        patches: { type: "string" },
        "without-hooks": { type: "boolean", default: false },
        waves: { type: "string", default: DEFAULT_WAVES },
        "max-failure-rate": { type: "string", default: DEFAULT_MAX_FAILURE_RATE },
        "wave-timeout": { type: "string" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  if (values.environment === undefined || values.environment === "") {
    io.error(`--environment: missing: name the environment to patch\n\n${usage}`);
    return 2;
  }
  if (values.reason === undefined) {
    io.error(`--reason: missing: say why this cannot wait for the windows\n\n${usage}`);
    return 2;
  }
  const config = configOrReport(deps.input, io);
  if (!config) return 2;
  const naming = new Naming(config.org);
  const dryRun = values["dry-run"] === true;
  let resolved: ResolvedPlan;
  let shares: number[];
  try {
    shares = parseWaves(values.waves);
    resolved = resolvePlan(config, naming, {
      environment: values.environment,
      patchGroups: split(values["patch-groups"]),
      patches: split(values.patches),
      withoutHooks: values["without-hooks"] === true,
      reason: values.reason,
      waves: shares,
      maxFailureRatePercent: parsePercent(values["max-failure-rate"], "--max-failure-rate", { allowZero: true }),
      ...(values["wave-timeout"] === undefined ? {} : { waveTimeoutMinutes: parseWaveTimeout(values["wave-timeout"]) }),
      // who starts it is asked of AWS only when it starts
      requestedBy: "(not started)",
    });
  } catch (error) {
    if (!(error instanceof PatchNowInputError)) throw error;
    io.error(error.message);
    return 2;
  }
  io.print(describeRun(resolved, shares));
  if (dryRun) {
    io.print("dry run: nothing started");
    return 0;
  }

  const aws = deps.aws(config.org.central.region);
  const stateMachineArn = naming.emergencyStateMachineArn;
  const environment = resolved.plan.environment;
  let name = "";
  try {
    const executions = (await aws.executions(stateMachineArn)).filter((e) => e.name.startsWith(`${environment}-`));
    const running = executions.filter((e) => e.status === "RUNNING").map((e) => e.name);
    if (running.length > 0) {
      io.error(
        `an emergency run of ${environment} is still running (${running.join(", ")}): two runs would patch the same instances at once; wait for it, or stop it in the Step Functions console first`,
      );
      return 1;
    }
    // the same name for whoever starts a run of this environment now: Step Functions starts only the first (emergencyRunId)
    const now = io.now();
    name = emergencyRunId(
      environment,
      now,
      nextEmergencySequence(
        environment,
        now,
        executions.map((e) => e.name),
      ),
    );
    const plan = { ...resolved.plan, requestedBy: await aws.callerArn() };
    const { executionArn } = await aws.startExecution(stateMachineArn, name, JSON.stringify(plan));
    const region = config.org.central.region;
    io.print(`started ${executionArn}`);
    io.print(`https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`);
    return 0;
  } catch (error) {
    const { name: errorName, message } = error as Error;
    if (errorName === "ExecutionAlreadyExists") {
      io.error(
        `another emergency run of ${environment} was started a moment ago as ${name} (ExecutionAlreadyExists): this one was not started, so that two runs do not patch the same instances at once; see that run in the Step Functions console, or start again once it has ended`,
      );
      return 1;
    }
    const hint = errorName === "StateMachineDoesNotExist" ? " (is the central stack deployed?)" : "";
    io.error(`cannot start the run on ${stateMachineArn}: ${errorName}: ${message}${hint}`);
    return 1;
  }
}
