import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { approvalRecord } from "../../../test/support/approval-fakes.js";
import { DynamoApprovalStore } from "./store.js";

const dynamodb = mockClient(DynamoDBClient);
const store = () => new DynamoApprovalStore(new DynamoDBClient({ region: "us-east-1" }), "patchline-approvals");
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";
const item = (overrides = {}) => marshall({ pk: `approval#${ID}`, kind: "approval", ...approvalRecord(overrides) }, { removeUndefinedValues: true });
const decision = {
  decision: "approve" as const,
  approver: { kind: "unverified" as const, identity: "someone holding the link", sourceIp: "198.51.100.7" },
  decidedAt: "2027-03-04T08:00:00.000Z",
};

beforeEach(() => dynamodb.reset());

describe("DynamoApprovalStore", () => {
  it("creates the record and the instance lock in one transaction; the lock only when free or run out", async () => {
    dynamodb.on(TransactWriteItemsCommand).resolves({});
    await store().create(approvalRecord(), { lockedUntil: 1_900_000_000 }, new Date("2027-03-03T21:40:00.000Z"));
    const [lock, approval] = dynamodb.commandCalls(TransactWriteItemsCommand)[0]!.args[0].input.TransactItems!;
    expect(lock!.Put).toMatchObject({
      TableName: "patchline-approvals",
      Item: { pk: { S: "instance#400000000002#eu-west-1#i-0abc123def4567890" }, approvalId: { S: ID }, lockedUntil: { N: "1900000000" } },
      ConditionExpression: "attribute_not_exists(pk) OR lockedUntil < :now",
      ExpressionAttributeValues: { ":now": { N: String(Date.parse("2027-03-03T21:40:00.000Z") / 1000) } },
    });
    expect(approval!.Put).toMatchObject({ Item: { pk: { S: `approval#${ID}` }, status: { S: "PENDING" } }, ConditionExpression: "attribute_not_exists(pk)" });
  });

  it("maps a held lock to ApprovalAlreadyPending, naming the open approval", async () => {
    dynamodb.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: "Transaction cancelled",
        $metadata: {},
        CancellationReasons: [{ Code: "ConditionalCheckFailed", Item: marshall({ approvalId: "Zq3Yw8n1Zq5d0xJ2r6u9Aw" }) }, { Code: "None" }],
      }),
    );
    await expect(store().create(approvalRecord(), { lockedUntil: 1 }, new Date())).rejects.toMatchObject({
      name: "ApprovalAlreadyPending",
      message: "approval Zq3Yw8n1Zq5d0xJ2r6u9Aw is still open for i-0abc123def4567890 in 400000000002/eu-west-1",
    });
  });

  it("decides with a conditional update: pending, before the deadline, while a wait holds a token", async () => {
    dynamodb.on(UpdateItemCommand).resolves({ Attributes: item({ status: "DECIDED", decision, taskToken: "t" }) });
    const result = await store().decide(ID, decision);
    expect(result).toMatchObject({ changed: true, record: { status: "DECIDED", taskToken: "t" } });
    expect(dynamodb).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { pk: { S: `approval#${ID}` } },
      UpdateExpression: "SET #status = :decided, decision = :decision",
      ConditionExpression: "#status = :pending AND deadline > :at AND attribute_exists(taskToken)",
      ReturnValues: "ALL_NEW",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
  });

  it("reports a lost race with the record as it is, so the page can say who decided", async () => {
    dynamodb
      .on(UpdateItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {}, Item: item({ status: "DECIDED", decision }) }));
    await expect(store().decide(ID, decision)).resolves.toMatchObject({ changed: false, record: { status: "DECIDED", decision } });
  });

  it("reports a missing record as no record", async () => {
    dynamodb.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }));
    await expect(store().attachToken(ID, "t", 1)).resolves.toEqual({ changed: false, record: undefined });
  });

  it("closes unanswered requests and drops their token", async () => {
    dynamodb.on(UpdateItemCommand).resolves({ Attributes: item({ status: "NO_RESPONSE" }) });
    await store().closeUnanswered(ID, "2027-03-07T21:40:00.000Z");
    expect(dynamodb).toHaveReceivedCommandWith(UpdateItemCommand, {
      UpdateExpression: "SET #status = :closed, closedAt = :at REMOVE taskToken",
      ConditionExpression: "#status = :pending",
    });
  });

  it("records the outcome and drops the token; a policy decision only where none was made", async () => {
    dynamodb.on(UpdateItemCommand).resolves({ Attributes: item() });
    await store().recordOutcome(
      ID,
      { status: "patched", finishedAt: "2027-03-08T10:00:00.000Z" },
      { ...decision, approver: { kind: "policy", identity: "onNoResponse" } },
    );
    expect(dynamodb).toHaveReceivedCommandWith(UpdateItemCommand, {
      UpdateExpression: "SET outcome = :outcome, decision = if_not_exists(decision, :decision) REMOVE taskToken",
      ConditionExpression: "attribute_exists(pk)",
    });
  });

  it("releases only its own lock, and a lock taken over by another approval is left alone", async () => {
    dynamodb.on(DeleteItemCommand).rejects(new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }));
    await expect(store().releaseLock({ account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890" }, ID)).resolves.toBeUndefined();
    expect(dynamodb).toHaveReceivedCommandWith(DeleteItemCommand, { ConditionExpression: "approvalId = :id", ExpressionAttributeValues: { ":id": { S: ID } } });
  });

  it("reads consistently, and turns throttling into TransientAwsError", async () => {
    dynamodb
      .on(GetItemCommand)
      .resolvesOnce({ Item: item() })
      .rejects(Object.assign(new Error("Throughput exceeds the current capacity"), { name: "ProvisionedThroughputExceededException", $metadata: {} }));
    await expect(store().get(ID)).resolves.toMatchObject({ approvalId: ID, status: "PENDING" });
    expect(dynamodb).toHaveReceivedCommandWith(GetItemCommand, { ConsistentRead: true });
    await expect(store().get(ID)).rejects.toMatchObject({ name: "TransientAwsError" });
  });
});
