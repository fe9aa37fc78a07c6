import type { Decision, OutcomeStatus } from "../../../contracts/approval.js";

/**
 * One approval request as the approvals table keeps it: the request, the task token of the wait in
 * progress (never sent anywhere), the decision with who made it and from where, and the outcome.
 */
export type ApprovalStatus = "PENDING" | "DECIDED" | "NO_RESPONSE";

/** Who decided. `verified`: a JWT the API checked; `unverified`: whoever held the link; `policy`: onNoResponse. */
export interface Approver {
  readonly kind: "verified" | "unverified" | "policy";
  readonly identity: string;
  /** The token's `iss` (verified approvers). */
  readonly issuer?: string;
  /** The token's `sub` (verified approvers). */
  readonly subject?: string;
  /** The token's `email`, only when its `email_verified` is true (verified approvers). */
  readonly email?: string;
  /** Why a verified approver's record holds no e-mail address. */
  readonly emailNote?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
}

/** What the callback hands the waiting task, and what the record keeps. */
export interface DecisionRecord {
  readonly decision: Decision;
  readonly approver: Approver;
  readonly decidedAt: string;
}

/** The instance's patch compliance as SSM reported it when the request was made. */
export interface PatchStateSummary {
  readonly missingCount: number;
  readonly failedCount: number;
  readonly installedPendingRebootCount: number;
  readonly criticalNonCompliantCount: number;
  readonly securityNonCompliantCount: number;
  readonly otherNonCompliantCount: number;
  readonly baselineId?: string;
  readonly patchGroup?: string;
  readonly lastOperation?: string;
  readonly lastOperationEndTime?: string;
}

/** What approving will do, from the environment's settings (shown on the page and in mails). */
export interface ApprovalPlan {
  readonly backupBeforePatch: boolean;
  readonly backupTimeoutMinutes: number;
  readonly rebootOption: string;
  readonly patchTimeoutMinutes: number;
  readonly onNoResponse: string;
  readonly reminderCount: number;
  readonly reminderIntervalHours: number;
}

export interface OutcomeRecord {
  readonly status: OutcomeStatus;
  /** The workflow step that failed (status "error"). */
  readonly step?: string;
  /** What went wrong, in words (error name and cause, AMI state reason, command status). */
  readonly detail?: string;
  readonly amiId?: string;
  readonly commandId?: string;
  readonly commandStatus?: string;
  readonly finishedAt: string;
}

export interface ApprovalRecord {
  readonly approvalId: string;
  readonly status: ApprovalStatus;
  /** The Step Functions execution waiting for the decision. */
  readonly execution: string;
  readonly account: string;
  readonly region: string;
  readonly environment: string;
  readonly instanceId: string;
  readonly instanceName?: string;
  /** The owner tag's value. */
  readonly owner?: string;
  readonly patchState: PatchStateSummary;
  readonly plan: ApprovalPlan;
  readonly requestedAt: string;
  /** When the last wait ends; no decision is accepted after it. */
  readonly deadline: string;
  readonly remindersSent: number;
  /** The task token of the wait in progress. Removed once the workflow no longer waits. */
  readonly taskToken?: string;
  readonly decision?: DecisionRecord;
  readonly closedAt?: string;
  readonly outcome?: OutcomeRecord;
  /** Unix seconds: DynamoDB deletes the record after it (recordRetentionDays). */
  readonly expiresAt: number;
}

/** The key of the per-instance lock that keeps a second request from starting while one is open. */
export interface InstanceKey {
  readonly account: string;
  readonly region: string;
  readonly instanceId: string;
}
