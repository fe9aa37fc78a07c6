import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { asError } from "../../shared/errors.js";

/**
 * Records which notices went where, so each goes out once although the schedule looks every
 * quarter of an hour: a destination is claimed before sending (a claim that is not marked sent
 * within the lease can be taken over), marked sent after; a notice is complete once every
 * destination has it, and complete notices are not looked at again.
 */
export interface NoticeLedger {
  isComplete(noticeId: string): Promise<boolean>;
  /** True when this call owns the destination now; false when it was sent or is being sent. */
  claim(noticeId: string, destination: string): Promise<boolean>;
  markSent(noticeId: string, destination: string): Promise<void>;
  /** Gives a claim back after a failed send, so the next run tries again. */
  release(noticeId: string, destination: string): Promise<void>;
  markComplete(noticeId: string): Promise<void>;
}

const NOTICE_ITEM = "#notice";
/** A send that has not finished in this time is taken to have died with its function. */
const LEASE_SECONDS = 600;
/** Records outlive their run by two weeks, then DynamoDB's TTL removes them. */
const KEEP_SECONDS = 14 * 86_400;

export function dynamoLedger(client: DynamoDBClient, table: string, now: () => Date, runAtOf: (noticeId: string) => Date): NoticeLedger {
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
  const expiresAt = (noticeId: string) => ({ N: String(seconds(runAtOf(noticeId)) + KEEP_SECONDS) });
  return {
    async isComplete(noticeId) {
      const item = await client.send(new GetItemCommand({ TableName: table, Key: key(noticeId, NOTICE_ITEM), ConsistentRead: true }));
      return item.Item?.status?.S === "complete";
    },
    async claim(noticeId, destination) {
      const at = seconds(now());
      try {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: { ...key(noticeId, destination), status: { S: "sending" }, leaseUntil: { N: String(at + LEASE_SECONDS) }, expiresAt: expiresAt(noticeId) },
            ConditionExpression: "attribute_not_exists(pk) OR (#status = :sending AND leaseUntil < :now)",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":sending": { S: "sending" }, ":now": { N: String(at) } },
          }),
        );
        return true;
      } catch (thrown) {
        if (asError(thrown).name === "ConditionalCheckFailedException") return false;
        throw thrown;
      }
    },
    async markSent(noticeId, destination) {
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key(noticeId, destination),
          UpdateExpression: "SET #status = :sent, sentAt = :now REMOVE leaseUntil",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":sent": { S: "sent" }, ":now": { N: String(seconds(now())) } },
        }),
      );
    },
    async release(noticeId, destination) {
      await client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: key(noticeId, destination),
          ConditionExpression: "#status = :sending",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":sending": { S: "sending" } },
        }),
      );
    },
    async markComplete(noticeId) {
      await client.send(
        new PutItemCommand({ TableName: table, Item: { ...key(noticeId, NOTICE_ITEM), status: { S: "complete" }, expiresAt: expiresAt(noticeId) } }),
      );
    },
  };
}
