import { DynamoDBClient, TransactWriteItemsCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { GenerateMacCommand, KMSClient } from "@aws-sdk/client-kms";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { approvalRecord } from "../../../test/support/approval-fakes.js";

/** The deployed wiring: environment, module-scope clients, DynamoDB store, KMS signer; AWS mocked. */
const dynamodb = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const secrets = mockClient(SecretsManagerClient);
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-handler-task-token";
let handler: (event: unknown) => Promise<unknown>;

beforeAll(async () => {
  vi.stubEnv("APPROVALS_TABLE", "patchline-approvals");
  vi.stubEnv("LINK_KEY_ID", "alias/patchline-approval-links");
  vi.stubEnv("APPROVALS_TOPIC_ARN", "arn:aws:sns:us-east-1:100000000001:patchline-approvals");
  vi.stubEnv("APPROVAL_API_URL", "https://abc123.execute-api.us-east-1.amazonaws.com");
  vi.stubEnv("OWNER_TAG_KEY", "Owner");
  vi.stubEnv("LINK_VALIDITY_SECONDS", "259200");
  vi.stubEnv("SENDER_ADDRESS", "patchline@example.com");
  vi.stubEnv("AWS_REGION", "us-east-1");
  // as stacks/approval/request-environment.ts writes it
  vi.stubEnv(
    "APPROVAL_CHANNELS",
    JSON.stringify({
      channels: { "approvals-slack": { type: "slack", secretId: "patchline/chat/approvals-slack" } },
      environments: { prod: ["approvals-slack"] },
    }),
  );
  ({ handler } = await import("./handler.js"));
});
// the unit tier shares a process between files: leave no environment behind
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  for (const client of [dynamodb, kms, sns, ses, secrets]) client.reset();
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  ses.on(SendEmailCommand).resolves({ MessageId: "e-1" });
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(9) });
  // prod's chat channel has no webhook URL yet: its post is a logged warning
  secrets.on(GetSecretValueCommand).resolves({});
});

describe("approval-request handler", () => {
  it("register: one conditional transaction for the lock and the record", async () => {
    dynamodb.on(TransactWriteItemsCommand).resolves({});
    const result = await handler({
      action: "register",
      execution: "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1",
      request: { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890", environment: "prod" },
      settings: {
        environment: "prod",
        reminderIntervalHours: 24,
        reminderCount: 3,
        onNoResponse: "reject",
        backupBeforePatch: true,
        backupTimeoutMinutes: 180,
        rebootOption: "RebootIfNeeded",
        patchTimeoutMinutes: 240,
      },
      instance: { tagged: true, name: "web-1", owner: "alice@example.com", state: "running", platform: "Linux/UNIX" },
      patchState: {
        missingCount: 4,
        failedCount: 0,
        installedPendingRebootCount: 0,
        criticalNonCompliantCount: 1,
        securityNonCompliantCount: 3,
        otherNonCompliantCount: 0,
        baselineId: "pb-1",
      },
    });
    expect(result).toMatchObject({ approvalId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    expect(dynamodb).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 1);
  });

  it("ask: the task token is written to the approvals table and appears in no other call", async () => {
    dynamodb
      .on(UpdateItemCommand)
      .resolves({ Attributes: marshall({ pk: "approval#Yq3Yw8n1Zq5d0xJ2r6u9Aw", ...approvalRecord({ taskToken: TOKEN }) }, { removeUndefinedValues: true }) });
    await handler({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN });
    expect(dynamodb).toHaveReceivedCommandWith(UpdateItemCommand, {
      TableName: "patchline-approvals",
      ExpressionAttributeValues: expect.objectContaining({ ":token": { S: TOKEN } }),
    });
    expect(kms).toHaveReceivedCommandWith(GenerateMacCommand, { KeyId: "alias/patchline-approval-links", MacAlgorithm: "HMAC_SHA_256" });
    for (const client of [kms, sns, ses, secrets]) expect(JSON.stringify(client.calls().map((c) => c.args[0].input))).not.toContain(TOKEN);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message).toContain(
      `https://abc123.execute-api.us-east-1.amazonaws.com/approvals/Yq3Yw8n1Zq5d0xJ2r6u9Aw?e=`,
    );
  });

  it("ask: reads the webhook URL of the environment's channel (APPROVAL_CHANNELS) from its secret, and mails all the same when the secret is empty", async () => {
    // the local webhook fake is plain http, which webhookUrlFromSecret refuses: delivery itself is covered by request-chat.test.ts
    dynamodb
      .on(UpdateItemCommand)
      .resolves({ Attributes: marshall({ pk: "approval#Yq3Yw8n1Zq5d0xJ2r6u9Aw", ...approvalRecord({ taskToken: TOKEN }) }, { removeUndefinedValues: true }) });
    await expect(handler({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN })).resolves.toEqual({ sent: true });
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: "patchline/chat/approvals-slack" }]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it("ask: posts nothing to chat for an environment APPROVAL_CHANNELS does not list", async () => {
    dynamodb.on(UpdateItemCommand).resolves({
      Attributes: marshall(
        { pk: "approval#Yq3Yw8n1Zq5d0xJ2r6u9Aw", ...approvalRecord({ taskToken: TOKEN, environment: "dev" }) },
        { removeUndefinedValues: true },
      ),
    });
    await handler({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN });
    expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
  });

  it("refuses input the state machine never sends, naming the fields", async () => {
    await expect(handler({ action: "ask", approvalId: "x", reminder: -1 })).rejects.toMatchObject({
      name: "InvalidInput",
      message: expect.stringContaining("reminder"),
    });
    await expect(handler({ action: "ask", approvalId: "x", reminder: -1 })).rejects.toThrow(/taskToken/);
  });
});
