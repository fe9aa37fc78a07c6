/**
 * What the approval state machine (stacks/approval/definition.ts) and the approval functions
 * agree on: actions, error names that Retry and Catch match, outcome statuses. Plain values only,
 * so the stacks can import them without pulling function code into the synth.
 */

/** An approval id: 128 random bits, base64url (22 characters). */
export const APPROVAL_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** How the workflow ended for an instance that was asked about. */
export const outcomeStatuses = ["patched", "rejected", "expired", "backup-failed", "patch-failed", "error"] as const;
export type OutcomeStatus = (typeof outcomeStatuses)[number];

/** Outcomes that are a normal end of the workflow; the others end the execution as failed. */
export const completedOutcomes: readonly OutcomeStatus[] = ["patched", "rejected", "expired"];

/** Error names the functions throw and the state machine matches. */
export const ApprovalErrors = {
  /** Another approval for the same account/region/instance is still open (request: register). */
  alreadyPending: "ApprovalAlreadyPending",
  /** The event's account is in no configured environment, or not configured in the event's region (instance: resolveAccount). */
  accountNotConfigured: "AccountNotConfigured",
  /** The instance does not exist (any more) in the member account (instance: lookUp). */
  instanceNotFound: "InstanceNotFound",
  /** An AWS API stayed throttled or unavailable after the SDK's retries: retry the task later. */
  transient: "TransientAwsError",
} as const;

/** `action` of each function's input. */
export const RequestActions = { register: "register", ask: "ask" } as const;
export const OutcomeActions = { closeUnanswered: "closeUnanswered", finish: "finish" } as const;
export const InstanceActions = { resolveAccount: "resolveAccount", lookUp: "lookUp", createBackup: "createBackup", checkBackup: "checkBackup" } as const;
export const PatchActions = { readPatchState: "readPatchState", sendCommand: "sendCommand", checkCommand: "checkCommand" } as const;

/** `status` of a backup or a patch command, as the check actions report it. */
export const BackupStatuses = { available: "available", pending: "pending", failed: "failed", timedOut: "timed-out" } as const;
export const CommandStatuses = { succeeded: "succeeded", inProgress: "in-progress", failed: "failed", timedOut: "timed-out" } as const;

/** The decision a callback hands the waiting task. */
export const Decisions = { approve: "approve", reject: "reject" } as const;
export type Decision = (typeof Decisions)[keyof typeof Decisions];

/** The tag every backup AMI and its snapshots carry; the member role only lets images with it be created. */
export const BACKUP_APPROVAL_TAG = "patchline:approval-id";
