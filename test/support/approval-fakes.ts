import { createHmac, timingSafeEqual } from "node:crypto";
import type { LinkSigner } from "../../functions/approval/shared/link.js";
import type { ApprovalRecord, DecisionRecord, InstanceKey, OutcomeRecord } from "../../functions/approval/shared/record.js";
import { ApprovalAlreadyPending, lockKey, type ApprovalStore, type ExecutionOutcome, type Transition } from "../../functions/approval/shared/store.js";
import type { Log } from "../../functions/shared/logger.js";

/** HMAC-SHA256 with a local secret: what the KMS HMAC key does, without KMS. */
export class HmacLinkSigner implements LinkSigner {
  constructor(private readonly secret = "patchline-test-secret") {}

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return createHmac("sha256", this.secret).update(message).digest();
  }

  async verify(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    const expected = await this.sign(message);
    return mac.length === expected.length && timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
  }
}

/**
 * The approvals table in memory, with the DynamoDB store's conditions: each change checks and
 * writes in one synchronous step, as a conditional write does, so concurrent callers race the
 * same way they would against the table.
 */
export class InMemoryApprovalStore implements ApprovalStore {
  readonly approvals = new Map<string, ApprovalRecord>();
  readonly locks = new Map<string, { approvalId: string; lockedUntil: number }>();
  readonly executions: ExecutionOutcome[] = [];

  async create(record: ApprovalRecord, lock: { readonly lockedUntil: number }, now: Date): Promise<void> {
    const key = lockKey(record);
    const held = this.locks.get(key);
    if (held && held.lockedUntil >= Math.floor(now.getTime() / 1000))
      throw new ApprovalAlreadyPending(`approval ${held.approvalId} is still open for ${record.instanceId}`);
    if (this.approvals.has(record.approvalId)) throw new Error(`approval ${record.approvalId} exists`);
    this.locks.set(key, { approvalId: record.approvalId, lockedUntil: lock.lockedUntil });
    this.approvals.set(record.approvalId, structuredClone(record));
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    const record = this.approvals.get(approvalId);
    return record && structuredClone(record);
  }

  async attachToken(approvalId: string, taskToken: string, remindersSent: number): Promise<Transition> {
    return this.transition(
      approvalId,
      (r) => r.status === "PENDING",
      (r) => ({ ...r, taskToken, remindersSent }),
    );
  }

  async decide(approvalId: string, decision: DecisionRecord): Promise<Transition> {
    return this.transition(
      approvalId,
      (r) => r.status === "PENDING" && r.deadline > decision.decidedAt && r.taskToken !== undefined,
      (r) => ({ ...r, status: "DECIDED", decision }),
    );
  }

  async closeUnanswered(approvalId: string, closedAt: string): Promise<Transition> {
    return this.transition(
      approvalId,
      (r) => r.status === "PENDING",
      ({ taskToken: _dropped, ...r }) => ({ ...r, status: "NO_RESPONSE", closedAt }),
    );
  }

  async recordOutcome(approvalId: string, outcome: OutcomeRecord, decision?: DecisionRecord): Promise<void> {
    const result = await this.transition(
      approvalId,
      () => true,
      ({ taskToken: _dropped, ...r }) => ({ ...r, outcome, decision: r.decision ?? decision }),
    );
    if (!result.changed) throw new Error(`approval ${approvalId} is not in the approvals table`);
  }

  async recordExecutionOutcome(outcome: ExecutionOutcome): Promise<void> {
    this.executions.push(structuredClone(outcome));
  }

  async releaseLock(instance: InstanceKey, approvalId: string): Promise<void> {
    const key = lockKey(instance);
    if (this.locks.get(key)?.approvalId === approvalId) this.locks.delete(key);
  }

  private transition(approvalId: string, condition: (r: ApprovalRecord) => boolean, change: (r: ApprovalRecord) => ApprovalRecord): Transition {
    const current = this.approvals.get(approvalId);
    if (!current || !condition(current)) return { changed: false, record: current && structuredClone(current) };
    const next = change(current);
    this.approvals.set(approvalId, next);
    return { changed: true, record: structuredClone(next) };
  }
}

/** A logger that keeps every line, so tests can check what was (not) logged. */
export function recordingLog(): Log & { readonly lines: unknown[][] } {
  const lines: unknown[][] = [];
  const record = (...args: unknown[]) => void lines.push(args);
  return { lines, info: record, warn: record, error: record } as unknown as Log & { readonly lines: unknown[][] };
}

/** A PENDING approval of web-1 in prod, requested 2027-03-03 21:40 UTC, deciding until 4 days later. */
export function approvalRecord(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
    status: "PENDING",
    execution: "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1",
    account: "400000000002",
    region: "eu-west-1",
    environment: "prod",
    instanceId: "i-0abc123def4567890",
    instanceName: "web-1",
    owner: "alice@example.com",
    patchState: {
      missingCount: 4,
      failedCount: 0,
      installedPendingRebootCount: 0,
      criticalNonCompliantCount: 1,
      securityNonCompliantCount: 3,
      otherNonCompliantCount: 0,
      baselineId: "pb-0c10e65780example",
    },
    plan: {
      backupBeforePatch: true,
      backupTimeoutMinutes: 180,
      rebootOption: "RebootIfNeeded",
      patchTimeoutMinutes: 240,
      onNoResponse: "reject",
      reminderCount: 3,
      reminderIntervalHours: 24,
    },
    requestedAt: "2027-03-03T21:40:00.000Z",
    deadline: "2027-03-07T21:40:00.000Z",
    remindersSent: 0,
    expiresAt: 1_823_636_400,
    ...overrides,
  };
}
