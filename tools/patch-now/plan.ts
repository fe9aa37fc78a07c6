import { EMERGENCY_LIMITS, emergencyPlanSchema, type EmergencyCommand, type EmergencyPlan } from "../../contracts/emergency-patch.js";
import { namedPatchProblem } from "../../contracts/install-override-list.js";
import { namedPatchesCommand, WITH_HOOKS } from "../../contracts/patch-command.js";
import { wavesOf, type ConfiguredEnvironment, type OrgConfig } from "../../environments/schema/index.js";
import { patchGroupCommands } from "../../stacks/member/patch-commands.js";
import type { Naming } from "../../stacks/naming.js";
import { PatchNowInputError, splitIntoWaves } from "./waves.js";

export interface PatchNowRequest {
  readonly environment: string;
  /** @default every patch group of the environment's installing windows */
  readonly patchGroups?: readonly string[];
  /** Patch ids for an InstallOverrideList. @default - none: the windows' commands as they are */
  readonly patches?: readonly string[];
  /** Send AWS-RunPatchBaseline where a window uses AWS-RunPatchBaselineWithHooks, so that patches can be named. */
  readonly withoutHooks: boolean;
  readonly reason: string;
  /** Cumulative shares of the accounts, in percent (parseWaves). */
  readonly waves: readonly number[];
  readonly maxFailureRatePercent: number;
  /** Minutes one wave's commands may run. @default the longest duration of the windows whose commands it sends */
  readonly waveTimeoutMinutes?: number;
  readonly requestedBy: string;
}

/** A wave as the tool prints it: the accounts by name, with their regions. */
export interface PrintedWave {
  readonly accounts: readonly { readonly name: string; readonly id: string; readonly regions: readonly string[] }[];
}

export interface ResolvedPlan {
  readonly plan: EmergencyPlan;
  readonly waves: readonly PrintedWave[];
  /** What the run does differently from the windows, for the reader to weigh before it starts. */
  readonly notes: readonly string[];
}

/** Step Functions' limit on an execution's input. */
export const EXECUTION_INPUT_BYTES = 256 * 1024;

const list = (names: readonly string[]) => names.join(", ") || "none";

/** The window commands the run sends for the chosen patch groups, each with the window's rate control (at most 50 patch groups a command). */
function windowCommands(environment: ConfiguredEnvironment, naming: Naming, chosen: readonly string[] | undefined): EmergencyCommand[] {
  // the reboot option given is that of scan-only windows' commands, which are left out
  const all = patchGroupCommands(environment, naming, "NoReboot");
  const installing = all.filter((c) => c.windowInstalls);
  const groups = environment.patchGroups.map((g) => g.name);
  for (const group of chosen ?? []) {
    if (!groups.includes(group))
      throw new PatchNowInputError(`--patch-groups: ${JSON.stringify(group)} is not a patch group of ${environment.name} (${list(groups)})`);
    const window = all.find((c) => c.patchGroups.includes(group))?.window ?? environment.patchGroups.find((g) => g.name === group)!.maintenanceWindow;
    if (!installing.some((c) => c.patchGroups.includes(group)))
      throw new PatchNowInputError(
        `--patch-groups: ${group}'s window ${window} only scans; an emergency run patches what the windows patch (patch groups of installing windows: ${list(installing.flatMap((c) => c.patchGroups))})`,
      );
  }
  if (installing.length === 0) throw new PatchNowInputError(`${environment.name} has no window that installs patches: an emergency run has nothing to send`);
  return installing.flatMap((command) => {
    const install = environment.maintenanceWindows.find((w) => w.name === command.window)!.install!;
    const patchGroups = command.patchGroups.filter((g) => chosen === undefined || chosen.includes(g));
    const chunks: string[][] = [];
    for (let i = 0; i < patchGroups.length; i += EMERGENCY_LIMITS.patchGroupsPerCommand)
      chunks.push(patchGroups.slice(i, i + EMERGENCY_LIMITS.patchGroupsPerCommand));
    return chunks.map((chunk) => ({
      window: command.window,
      patchGroups: chunk,
      document: command.document,
      parameters: Object.fromEntries(Object.entries(command.parameters).map(([name, values]) => [name, [...values]])),
      maxConcurrency: install.maxConcurrency,
      maxErrors: install.maxErrors,
    }));
  });
}

/**
 * Named patches replace what the windows install with an InstallOverrideList, which only
 * AWS-RunPatchBaseline takes: a window with hooks is refused unless --without-hooks, which sends
 * AWS-RunPatchBaseline with the window's reboot option (its hooks do not run). The run writes the
 * list and sets the parameter.
 */
function withNamedPatches(commands: readonly EmergencyCommand[], patches: readonly string[], withoutHooks: boolean): EmergencyCommand[] {
  const problems = patches.flatMap((id) => namedPatchProblem(id) ?? []);
  if (problems.length > 0) throw new PatchNowInputError(`--patches: ${problems.join("; ")}`);
  if (new Set(patches).size !== patches.length) throw new PatchNowInputError("--patches: a patch is named twice");
  if (patches.length > EMERGENCY_LIMITS.namedPatches)
    throw new PatchNowInputError(`--patches: ${patches.length} patches; a run names at most ${EMERGENCY_LIMITS.namedPatches}`);
  const hooked = [...new Set(commands.filter((c) => c.document === WITH_HOOKS).map((c) => c.window))];
  if (hooked.length > 0 && !withoutHooks)
    throw new PatchNowInputError(
      `--patches: window${hooked.length > 1 ? "s" : ""} ${list(hooked)} patch${hooked.length > 1 ? "" : "es"} with ${WITH_HOOKS}, which takes no InstallOverrideList: add --without-hooks to send AWS-RunPatchBaseline with the window's reboot option (its lifecycle hooks do not run), or leave out --patches to send the window's command with its hooks`,
    );
  return commands.map((c) => namedPatchesCommand(c));
}

/**
 * What `npm run patch-now` starts the emergency state machine with, from config: the environment's
 * accounts cut into waves (each with its regions), the chosen patch groups' window commands with
 * their rate control, the named patches, the failure rate that halts the run, and how long a wave
 * may take (its windows' longest duration).
 */
export function resolvePlan(config: OrgConfig, naming: Naming, request: PatchNowRequest): ResolvedPlan {
  const environment = config.environments.find((e) => e.name === request.environment);
  if (!environment)
    throw new PatchNowInputError(
      `--environment: ${JSON.stringify(request.environment)} is not an environment (configured: ${list(config.environments.map((e) => e.name))})`,
    );
  const reason = request.reason.trim();
  if (reason === "") throw new PatchNowInputError("--reason: say why this cannot wait for the windows (it goes to the channels and the run's history)");
  if (reason.length > EMERGENCY_LIMITS.reasonCharacters)
    throw new PatchNowInputError(`--reason: ${reason.length} characters; at most ${EMERGENCY_LIMITS.reasonCharacters} (link to the ticket for the rest)`);
  const patches = request.patches ?? [];
  if (request.withoutHooks && patches.length === 0)
    throw new PatchNowInputError("--without-hooks: only with --patches; without named patches the windows' commands run as they are, hooks included");

  let commands = windowCommands(environment, naming, request.patchGroups);
  if (patches.length > 0) commands = withNamedPatches(commands, patches, request.withoutHooks);
  if (environment.accounts.length === 0) throw new PatchNowInputError(`--environment: ${environment.name} has no accounts`);
  // the environment's canary waves first (accounts[].wave), in the environment file's order within each
  const ordered = wavesOf(environment).flatMap((w) => w.accounts);
  const waves = splitIntoWaves(ordered, request.waves).map((accounts) =>
    accounts.map((a) => ({ name: a.name, id: a.id, regions: [...(a.regions ?? environment.regions)] })),
  );
  const windows = new Set(commands.map((c) => c.window));
  const longest = Math.max(...environment.maintenanceWindows.filter((w) => windows.has(w.name)).map((w) => w.durationHours));
  const plan = emergencyPlanSchema.parse({
    version: 1,
    environment: environment.name,
    reason,
    requestedBy: request.requestedBy,
    maxFailureRatePercent: request.maxFailureRatePercent,
    // a wave may take as long as its windows would (their longest duration), unless asked otherwise
    timeoutMinutes: request.waveTimeoutMinutes ?? Math.min(Math.max(longest * 60, EMERGENCY_LIMITS.minTimeoutMinutes), EMERGENCY_LIMITS.maxTimeoutMinutes),
    patches: [...patches],
    withoutHooks: request.withoutHooks,
    commands,
    waves: waves.map((wave) => wave.map((a) => ({ accountId: a.id, regions: a.regions }))),
  });
  const bytes = Buffer.byteLength(JSON.stringify(plan), "utf8");
  if (bytes > EXECUTION_INPUT_BYTES)
    throw new PatchNowInputError(
      `the plan for ${environment.name} is ${bytes} bytes, above Step Functions' ${EXECUTION_INPUT_BYTES} per execution input: its accounts and regions do not fit one run; split the environment`,
    );
  // the windows' backup runbook (install.backup) is the windows' install task; the run sends the patch document itself
  const backedUp = environment.maintenanceWindows.filter((w) => windows.has(w.name) && w.install?.backup).map((w) => w.name);
  const disabled = environment.maintenanceWindows.filter((w) => windows.has(w.name) && !w.enabled).map((w) => w.name);
  const several = (names: readonly string[], one: string, many: string) => (names.length > 1 ? many : one);
  const notes = [
    ...(backedUp.length > 0
      ? [
          `${several(backedUp, "window", "windows")} ${list(backedUp)} ${several(backedUp, "backs", "back")} up each instance before install (install.backup); this run does not: it sends the patch document directly`,
        ]
      : []),
    // an emergency overrides a paused window, but whoever starts it sees that it does
    ...(disabled.length > 0
      ? [
          `${several(disabled, "window", "windows")} ${list(disabled)} ${several(disabled, "is", "are")} disabled (enabled: false); this run patches ${several(disabled, "its", "their")} patch groups all the same`,
        ]
      : []),
  ];
  return { plan, waves: waves.map((accounts) => ({ accounts })), notes };
}
