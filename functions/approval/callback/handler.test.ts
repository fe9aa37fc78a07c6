import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { KMSClient, KMSInvalidMacException, VerifyMacCommand } from "@aws-sdk/client-kms";
import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { approvalRecord } from "../../../test/support/approval-fakes.js";
import type { HttpResponse } from "./http.js";

/** The deployed wiring: environment, module-scope clients, DynamoDB store, KMS VerifyMac; AWS mocked. */
const dynamodb = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);
const sfn = mockClient(SFNClient);
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-handler-task-token";
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";
const expires = String(Math.floor(Date.now() / 1000) + 3600);
const signature = Buffer.alloc(32, 9).toString("base64url");
const future = new Date(Date.now() + 86_400_000).toISOString();
const stored = (overrides = {}) =>
  marshall(
    { pk: `approval#${ID}`, kind: "approval", ...approvalRecord({ taskToken: TOKEN, deadline: future, ...overrides }) },
    { removeUndefinedValues: true },
  );
let handler: (event: unknown) => Promise<HttpResponse>;

const request = (method: "GET" | "POST", decision?: string, origin = "https://abc123.execute-api.us-east-1.amazonaws.com") => ({
  rawPath: `/approvals/${ID}`,
  rawQueryString: method === "GET" ? `e=${expires}&s=${signature}` : "",
  pathParameters: { approvalId: ID },
  // a browser without Sec-Fetch-Site: the Origin alone must match APPROVAL_API_URL's
  headers: { "content-type": "application/x-www-form-urlencoded", origin },
  ...(method === "POST" ? { body: new URLSearchParams({ e: expires, s: signature, decision: decision ?? "approve" }).toString() } : {}),
  requestContext: { http: { method, sourceIp: "198.51.100.7", userAgent: "Mozilla/5.0" } },
});

beforeAll(async () => {
  vi.stubEnv("APPROVALS_TABLE", "patchline-approvals");
  vi.stubEnv("LINK_KEY_ID", "alias/patchline-approval-links");
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("APPROVAL_API_URL", "https://abc123.execute-api.us-east-1.amazonaws.com");
  ({ handler } = await import("./handler.js"));
});
// the unit tier shares a process between files: leave no environment behind
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  for (const client of [dynamodb, kms, sfn]) client.reset();
  kms.on(VerifyMacCommand).resolves({ MacValid: true });
  sfn.on(SendTaskSuccessCommand).resolves({});
});

describe("approval-callback handler", () => {
  it("GET verifies the link with KMS, reads the record, and decides nothing", async () => {
    dynamodb.on(GetItemCommand).resolves({ Item: stored() });
    const response = await handler(request("GET"));
    expect(response.statusCode).toBe(200);
    expect(kms).toHaveReceivedCommandWith(VerifyMacCommand, { KeyId: "alias/patchline-approval-links", MacAlgorithm: "HMAC_SHA_256" });
    expect(dynamodb).not.toHaveReceivedCommand(UpdateItemCommand);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it("a POST from another origin than APPROVAL_API_URL's is refused before KMS or the table is asked", async () => {
    const response = await handler(request("POST", "approve", "https://evil.example"));
    expect(response.statusCode).toBe(403);
    expect(kms.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it("a link KMS does not verify is refused before the table is read", async () => {
    kms.on(VerifyMacCommand).rejects(new KMSInvalidMacException({ message: "invalid", $metadata: {} }));
    expect((await handler(request("POST"))).statusCode).toBe(403);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it("two concurrent POSTs: DynamoDB's condition lets one through; SendTaskSuccess once, with the stored token", async () => {
    dynamodb
      .on(UpdateItemCommand)
      .resolvesOnce({ Attributes: stored({ status: "DECIDED" }) })
      .rejects(
        new ConditionalCheckFailedException({
          message: "The conditional request failed",
          $metadata: {},
          Item: stored({
            status: "DECIDED",
            decision: { decision: "approve", approver: { kind: "unverified", identity: "someone holding the link" }, decidedAt: new Date().toISOString() },
          }),
        }),
      );
    const responses = await Promise.all([handler(request("POST", "approve")), handler(request("POST", "reject"))]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: TOKEN });
  });

  it("the table failing is a 503 page, not an unhandled error", async () => {
    dynamodb
      .on(UpdateItemCommand)
      .rejects(Object.assign(new Error("Internal server error"), { name: "InternalServerError", $metadata: { httpStatusCode: 500 } }));
    const response = await handler(request("POST"));
    expect(response.statusCode).toBe(503);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });
});
