/**
 * What the approval state machine (stacks/approval/definition.ts) and the approval functions
 * agree on: actions, error names that Retry and Catch match, outcome statuses. Plain values only,
 * so the stacks can import them without pulling function code into the synth.
 */

/** An approval id: 128 random bits, base64url (22 characters). */
export const APPROVAL_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * How the workflow ended for an instance: asked about (patched … error), or not asked because it
 * misses no patch of the environment's `approval.trigger` (not-urgent), or approved but not patched
 * because a change freeze was in effect (frozen: `approval.duringFreeze` "end", or the wait ran out).
 */
export const outcomeStatuses = ["patched", "rejected", "expired", "backup-failed", "patch-failed", "error", "not-urgent", "frozen"] as const;
export type OutcomeStatus = (typeof outcomeStatuses)[number];

/** Outcomes that are a normal end of the workflow; the others end the execution as failed. */
export const completedOutcomes: readonly OutcomeStatus[] = ["patched", "rejected", "expired", "not-urgent", "frozen"];

/** Outcomes nobody is told of: recorded only (an instance that misses nothing urgent is no news). */
export const quietOutcomes: readonly OutcomeStatus[] = ["not-urgent"];

/**
 * The severities `approval.trigger` may name: Patch Manager's patch severities (DescribeInstancePatches'
 * `Severity`), of Linux advisories (Critical … None) and Microsoft's MSRC ratings (Critical …
 * Unspecified). environments/schema checks them against its approval-rule filter values.
 */
export const TRIGGER_SEVERITIES = ["Critical", "Important", "Moderate", "Medium", "Low", "None", "Unspecified"] as const;
/** The classifications `approval.trigger` may name: Linux advisory types and Windows update classifications (DescribeInstancePatches' `Classification`). */
export const TRIGGER_CLASSIFICATIONS = [
  "Security",
  "Bugfix",
  "Enhancement",
  "Recommended",
  "Newpackage",
  "CriticalUpdates",
  "SecurityUpdates",
  "DefinitionUpdates",
  "Drivers",
  "FeaturePacks",
  "ServicePacks",
  "Tools",
  "UpdateRollups",
  "Updates",
  "Upgrades",
] as const;

/** Which missing patches make an approval request urgent; null (no `approval.trigger`): every non-compliance asks. */
export interface ApprovalTrigger {
  readonly severities?: readonly string[];
  readonly classifications?: readonly string[];
}

/** Error names the functions throw and the state machine matches. */
export const ApprovalErrors = {
  /** Another approval for the same account/region/instance is still open (request: register). */
  alreadyPending: "ApprovalAlreadyPending",
  /** The event's account is in no configured environment, or not configured in the event's region (instance: resolveAccount). */
  accountNotConfigured: "AccountNotConfigured",
  /** The instance does not exist (any more) in the member account (instance: lookUp). */
  instanceNotFound: "InstanceNotFound",
  /** No maintenance window of the environment targets the instance's patch group, so patchline does not know how to patch it (patch: choosePatchCommand). */
  noPatchingWindow: "NoPatchingWindow",
  /** An AWS API stayed throttled or unavailable after the SDK's retries: retry the task later. */
  transient: "TransientAwsError",
} as const;

/** `action` of each function's input. */
export const RequestActions = { register: "register", ask: "ask" } as const;
export const OutcomeActions = { closeUnanswered: "closeUnanswered", finish: "finish" } as const;
export const InstanceActions = { resolveAccount: "resolveAccount", lookUp: "lookUp", createBackup: "createBackup", checkBackup: "checkBackup" } as const;
export const PatchActions = {
  readPatchState: "readPatchState",
  checkCalendar: "checkCalendar",
  choosePatchCommand: "choosePatchCommand",
  sendCommand: "sendCommand",
  checkCommand: "checkCommand",
} as const;

/** `status` of a backup or a patch command, as the check actions report it. */
export const BackupStatuses = { available: "available", pending: "pending", failed: "failed", timedOut: "timed-out" } as const;
export const CommandStatuses = { succeeded: "succeeded", inProgress: "in-progress", failed: "failed", timedOut: "timed-out" } as const;

/**
 * Waiting out a change freeze (`approval.duringFreeze` "wait"): each wait lasts until the change
 * calendar's next transition, at most FREEZE_WAIT_MAX_DAYS, and after FREEZE_WAIT_MAX_CHECKS
 * waits the outcome is "frozen".
 */
export const FREEZE_WAIT_MAX_DAYS = 7;
export const FREEZE_WAIT_MAX_CHECKS = 10;

/** The decision a callback hands the waiting task. */
export const Decisions = { approve: "approve", reject: "reject" } as const;
export type Decision = (typeof Decisions)[keyof typeof Decisions];

/** The tag every backup AMI and its snapshots carry; the member role only lets images with it be created. */
export const BACKUP_APPROVAL_TAG = "patchline:approval-id";
