import * as z from "zod/mini";
import { PATCH_TASK_DOCUMENTS } from "./patch-documents.js";

/**
 * What `npm run patch-now` (tools/patch-now), the emergency state machine (stacks/emergency) and
 * its functions (functions/emergency) agree on: the plan the tool starts a run with, the run the
 * first step makes of it, and the names of errors and keys.
 */

export const EMERGENCY_LIMITS = {
  /** Waves of one run: each is a Distributed Map run and a message to the channels. */
  waves: 10,
  reasonCharacters: 500,
  /** Patches named for one run's InstallOverrideList. */
  namedPatches: 100,
  /** How long one wave's commands may run, at least and at most (a maintenance window lasts at most 24 hours). */
  minTimeoutMinutes: 15,
  maxTimeoutMinutes: 24 * 60,
  /** Run Command's Target takes at most 50 values per key: the patch groups of one command. */
  patchGroupsPerCommand: 50,
} as const;

/** Error names the functions throw and the state machine matches (Lambda reports the name as the error type). */
export const EmergencyErrors = {
  /** The plan is not one patchline made, or names what the fleet catalog does not have (run: start). */
  invalidPlan: "InvalidEmergencyPlan",
  /** The member role could not be assumed in the target's account (commands: send). */
  targetUnreachable: "TargetUnreachable",
  /** SendCommand refused a command (commands: send). */
  commandNotSent: "CommandNotSent",
  /** A message reached some of the run's channels only (notify). */
  notDelivered: "EmergencyNotificationNotDelivered",
  /** The run stopped after a wave (the execution's error). */
  halted: "EmergencyRunHalted",
} as const;

/** A run's id is its execution's name, which keys its files and marks its commands. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/** The UTC hour an emergency run's name is keyed on: `20270304T08Z`. */
export const emergencyRunHour = (now: Date): string => `${now.toISOString().slice(0, 13).replace(/[-:]/g, "")}Z`;

/**
 * `<environment>-<UTC hour>-<n>`: n is one more than the highest n of the environment's runs of
 * that hour. Two operators starting at the same time derive the same name, and Step Functions
 * starts one execution of a name: the second StartExecution fails with ExecutionAlreadyExists
 * (its input, with another requestedBy, differs), so two runs never patch the same instances at
 * once. Sorts by hour, within Step Functions' 80 characters.
 */
export function emergencyRunId(environment: string, now: Date, sequence: number): string {
  return `${environment}-${emergencyRunHour(now)}-${sequence}`;
}

/** The n of the next run of the environment in `now`'s hour, from the names of the state machine's executions. */
export function nextEmergencySequence(environment: string, now: Date, executionNames: readonly string[]): number {
  const prefix = `${environment}-${emergencyRunHour(now)}-`;
  const taken = executionNames.filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(prefix.length)));
  return Math.max(0, ...taken.filter((n) => Number.isInteger(n))) + 1;
}

/** Where a run keeps its files in the emergency bucket. */
export const emergencyKeys = {
  /** The named patches' list: the one prefix instances of the organization may read. */
  installLists: "install-lists/",
  installList: (environment: string, runId: string) => `install-lists/${environment}/${runId}.yaml`,
  /** A wave's account-regions, which the wave's Distributed Map reads. */
  wave: (runId: string, number: number) => `runs/${runId}/wave-${number}.json`,
  runs: "runs/",
  /** Where the waves' Distributed Maps write their results (ResultWriter adds `<map run id>/`). */
  mapResults: "runs/map-results",
} as const;

const accountId = z.string().check(z.regex(/^\d{12}$/));
const region = z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/));

/** A window's install command for some of its patch groups, with the window's rate control. */
export const emergencyCommandSchema = z.object({
  window: z.string().check(z.minLength(1)),
  patchGroups: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(EMERGENCY_LIMITS.patchGroupsPerCommand)),
  document: z.enum(PATCH_TASK_DOCUMENTS),
  parameters: z.record(z.string(), z.array(z.string())),
  // SendCommand's patterns for MaxConcurrency and MaxErrors
  maxConcurrency: z.string().check(z.regex(/^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/)),
  maxErrors: z.string().check(z.regex(/^([1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)$/)),
});
export type EmergencyCommand = z.output<typeof emergencyCommandSchema>;

/** The state machine's input: what `npm run patch-now` resolved from config. */
export const emergencyPlanSchema = z.object({
  version: z.literal(1),
  environment: z.string().check(z.regex(/^[a-z][a-z0-9]{1,15}$/)),
  reason: z.string().check(z.minLength(1), z.maxLength(EMERGENCY_LIMITS.reasonCharacters)),
  /** Who started it (the caller's ARN); CloudTrail has StartExecution's caller too. */
  requestedBy: z.string().check(z.minLength(1), z.maxLength(256)),
  /** A wave whose failed invocations exceed this share of its targeted ones halts the run. */
  maxFailureRatePercent: z.number().check(z.gte(0), z.lte(100)),
  /** How long a wave's commands may run before the wave is judged with what has finished. */
  timeoutMinutes: z.int().check(z.gte(EMERGENCY_LIMITS.minTimeoutMinutes), z.lte(EMERGENCY_LIMITS.maxTimeoutMinutes)),
  /** Patch ids for an InstallOverrideList; none: the windows' commands as they are. */
  patches: z._default(z.array(z.string()).check(z.maxLength(EMERGENCY_LIMITS.namedPatches)), []),
  /** The windows' hooks were dropped to name patches (AWS-RunPatchBaseline instead of …WithHooks). */
  withoutHooks: z._default(z.boolean(), false),
  commands: z.array(emergencyCommandSchema).check(z.minLength(1)),
  /** Accounts in order, wave by wave, each with the regions it is patched in. */
  waves: z
    .array(z.array(z.object({ accountId, regions: z.array(region).check(z.minLength(1)) })).check(z.minLength(1)))
    .check(z.minLength(1), z.maxLength(EMERGENCY_LIMITS.waves)),
});
export type EmergencyPlanInput = z.input<typeof emergencyPlanSchema>;
export type EmergencyPlan = z.output<typeof emergencyPlanSchema>;

/** One account-region of a wave, as its wave file lists it and its child execution gets it. */
export const emergencyTargetSchema = z.object({ accountId, accountName: z.string(), region });
export type EmergencyTarget = z.output<typeof emergencyTargetSchema>;

/** What every child execution of a run needs to send and follow the commands. */
export const patchingSettingsSchema = z.object({
  runId: z.string().check(z.regex(RUN_ID_PATTERN)),
  /** When the run started: a command of this run is looked for among those sent since (a retried send sends nothing twice). */
  startedAt: z.string(),
  environment: z.string(),
  /** The instance tag of the patch group (`org.patchGroupTagKey`). */
  patchGroupTagKey: z.string(),
  timeoutMinutes: z.int().check(z.positive()),
  commands: z.array(emergencyCommandSchema).check(z.minLength(1)),
});
export type PatchingSettings = z.output<typeof patchingSettingsSchema>;

export const emergencyWaveSchema = z.object({
  number: z.int().check(z.positive()),
  /** Its file in the emergency bucket (emergencyKeys.wave). */
  key: z.string(),
  accounts: z.int(),
  targets: z.int(),
  /** The names of its first accounts, for the messages. */
  firstAccounts: z.array(z.string()),
});
export type EmergencyWave = z.output<typeof emergencyWaveSchema>;

/** The run the first step makes of a valid plan: what the later steps and the messages use. */
export const emergencyRunSchema = z.object({
  runId: z.string().check(z.regex(RUN_ID_PATTERN)),
  environment: z.string(),
  reason: z.string(),
  requestedBy: z.string(),
  startedAt: z.string(),
  maxFailureRatePercent: z.number(),
  patches: z.array(z.string()),
  withoutHooks: z.boolean(),
  /** The named patches' list the commands install from. */
  installOverrideList: z.optional(z.string()),
  waves: z.array(emergencyWaveSchema),
  patching: patchingSettingsSchema,
});
export type EmergencyRun = z.output<typeof emergencyRunSchema>;

/** "7 %", "0.5 %": a share as the messages and the tool print it. */
export const percent = (value: number): string => `${Number(value.toFixed(1))} %`;
