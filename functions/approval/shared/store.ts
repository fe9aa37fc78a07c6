import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ApprovalErrors } from "../../../contracts/approval.js";
import type { ApprovalRecord, DecisionRecord, InstanceKey, OutcomeRecord } from "./record.js";
import { surfaceTransient } from "../../shared/errors.js";

/** Another approval for the same instance is still open: the state machine ends quietly. */
export class ApprovalAlreadyPending extends Error {
  override readonly name = ApprovalErrors.alreadyPending;
}

/** A conditional change either happened (`changed`, the record after it) or not (the record as it is, if any). */
export type Transition = { readonly changed: true; readonly record: ApprovalRecord } | { readonly changed: false; readonly record?: ApprovalRecord };

/** How a run ended that never got as far as a request (e.g. the instance could not be looked up). */
export interface ExecutionOutcome {
  readonly execution: string;
  readonly request: InstanceKey & { readonly environment: string };
  readonly outcome: OutcomeRecord;
  readonly expiresAt: number;
}

/**
 * The approvals table. Every change that decides something is conditional, so that concurrent
 * callers (two clicks, a click and a timeout) cannot both win.
 */
export interface ApprovalStore {
  /** Creates the record and takes the instance's lock; ApprovalAlreadyPending while another approval holds it. */
  create(record: ApprovalRecord, lock: { readonly lockedUntil: number }, now: Date): Promise<void>;
  get(approvalId: string): Promise<ApprovalRecord | undefined>;
  /** Stores the task token of the current wait, while the request is PENDING. */
  attachToken(approvalId: string, taskToken: string, remindersSent: number): Promise<Transition>;
  /** PENDING → DECIDED, once, before the deadline and only while a wait holds a token. */
  decide(approvalId: string, decision: DecisionRecord): Promise<Transition>;
  /** PENDING → NO_RESPONSE when the last wait ended unanswered; drops the token. */
  closeUnanswered(approvalId: string, closedAt: string): Promise<Transition>;
  /** The audit trail's last entry; drops the token. A policy decision (onNoResponse) is recorded with it. */
  recordOutcome(approvalId: string, outcome: OutcomeRecord, decision?: DecisionRecord): Promise<void>;
  recordExecutionOutcome(outcome: ExecutionOutcome): Promise<void>;
  /** Frees the instance for a future request; only the approval that holds the lock may. */
  releaseLock(instance: InstanceKey, approvalId: string): Promise<void>;
}

export const approvalKey = (approvalId: string) => `approval#${approvalId}`;
export const lockKey = (i: InstanceKey) => `instance#${i.account}#${i.region}#${i.instanceId}`;
export const executionKey = (execution: string) => `execution#${execution.split(":").at(-1)}`;

const key = (pk: string) => ({ pk: { S: pk } });
const values = (v: Record<string, unknown>) => marshall(v, { removeUndefinedValues: true, convertClassInstanceToMap: true });

function toRecord(item: Record<string, AttributeValue> | undefined): ApprovalRecord | undefined {
  if (!item) return undefined;
  const { pk: _pk, kind: _kind, ...record } = unmarshall(item);
  return record as ApprovalRecord;
}

export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(record: ApprovalRecord, lock: { readonly lockedUntil: number }, now: Date): Promise<void> {
    const lockItem = {
      pk: lockKey(record),
      kind: "lock",
      approvalId: record.approvalId,
      execution: record.execution,
      lockedUntil: lock.lockedUntil,
      expiresAt: lock.lockedUntil + 86_400,
    };
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: values(lockItem),
                // a lock whose workflow died long ago (past lockedUntil) does not block forever
                ConditionExpression: "attribute_not_exists(pk) OR lockedUntil < :now",
                ExpressionAttributeValues: values({ ":now": Math.floor(now.getTime() / 1000) }),
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: values({ pk: approvalKey(record.approvalId), kind: "approval", ...record }),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed") {
        const holder = error.CancellationReasons[0].Item ? unmarshall(error.CancellationReasons[0].Item).approvalId : "another approval";
        throw new ApprovalAlreadyPending(`approval ${holder} is still open for ${record.instanceId} in ${record.account}/${record.region}`);
      }
      surfaceTransient(error, "dynamodb TransactWriteItems");
    }
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    try {
      const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(approvalKey(approvalId)), ConsistentRead: true }));
      return toRecord(result.Item);
    } catch (error) {
      surfaceTransient(error, "dynamodb GetItem");
    }
  }

  attachToken(approvalId: string, taskToken: string, remindersSent: number): Promise<Transition> {
    return this.transition(approvalId, {
      UpdateExpression: "SET taskToken = :token, remindersSent = :reminders",
      ConditionExpression: "#status = :pending",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: values({ ":token": taskToken, ":reminders": remindersSent, ":pending": "PENDING" }),
    });
  }

  decide(approvalId: string, decision: DecisionRecord): Promise<Transition> {
    return this.transition(approvalId, {
      UpdateExpression: "SET #status = :decided, decision = :decision",
      // ISO-8601 UTC strings of one format compare like the instants they name
      ConditionExpression: "#status = :pending AND deadline > :at AND attribute_exists(taskToken)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: values({ ":decided": "DECIDED", ":decision": decision, ":pending": "PENDING", ":at": decision.decidedAt }),
    });
  }

  closeUnanswered(approvalId: string, closedAt: string): Promise<Transition> {
    return this.transition(approvalId, {
      UpdateExpression: "SET #status = :closed, closedAt = :at REMOVE taskToken",
      ConditionExpression: "#status = :pending",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: values({ ":closed": "NO_RESPONSE", ":pending": "PENDING", ":at": closedAt }),
    });
  }

  async recordOutcome(approvalId: string, outcome: OutcomeRecord, decision?: DecisionRecord): Promise<void> {
    const transition = await this.transition(approvalId, {
      UpdateExpression: `SET outcome = :outcome${decision ? ", decision = if_not_exists(decision, :decision)" : ""} REMOVE taskToken`,
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: values({ ":outcome": outcome, ...(decision ? { ":decision": decision } : {}) }),
    });
    if (!transition.changed) throw new Error(`approval ${approvalId} is not in the approvals table`);
  }

  async recordExecutionOutcome(outcome: ExecutionOutcome): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: values({ pk: executionKey(outcome.execution), kind: "execution", ...outcome }) }),
      );
    } catch (error) {
      surfaceTransient(error, "dynamodb PutItem");
    }
  }

  async releaseLock(instance: InstanceKey, approvalId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: key(lockKey(instance)),
          ConditionExpression: "approvalId = :id",
          ExpressionAttributeValues: values({ ":id": approvalId }),
        }),
      );
    } catch (error) {
      // the lock is gone or another approval has taken it over (ours outlived lockedUntil): nothing to free
      if (error instanceof ConditionalCheckFailedException) return;
      surfaceTransient(error, "dynamodb DeleteItem");
    }
  }

  private async transition(
    approvalId: string,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, AttributeValue>;
    },
  ): Promise<Transition> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(approvalKey(approvalId)),
          ...update,
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { changed: true, record: toRecord(result.Attributes)! };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { changed: false, record: toRecord(error.Item) };
      surfaceTransient(error, "dynamodb UpdateItem");
    }
  }
}
