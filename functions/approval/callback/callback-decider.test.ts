import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { approvalRecord, HmacLinkSigner, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { getEvent, PAGE_ORIGIN, postEvent } from "../../../test/support/callback-events.js";
import { signLink } from "../shared/link.js";
import { createCallbackHandler, type CallbackDeps } from "./callback.js";
import { parseApproverDirectory } from "./decider.js";

/** Decisions with a JWT authorizer on the decision route (org.approval.jwt): who is recorded, and who may decide. */
const sfn = mockClient(SFNClient);
const signer = new HmacLinkSigner();
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";
const EXPIRES = Date.parse("2027-03-06T21:40:00.000Z") / 1000;
const ISSUER = "https://login.example.com";
const approvers = parseApproverDirectory(JSON.stringify({ prod: ["Prod-Approvers@example.com"], dev: ["mallory@example.com"] }));

let store: InMemoryApprovalStore;
let signature: string;

const handler = (overrides: Partial<CallbackDeps> = {}) =>
  createCallbackHandler({
    store,
    signer,
    sfn: new SFNClient({ region: "us-east-1" }),
    jwtIssuer: ISSUER,
    pageOrigin: PAGE_ORIGIN,
    now: () => new Date("2027-03-04T08:00:00.000Z"),
    log: recordingLog(),
    ...overrides,
  });
const approveAs = (claims?: Record<string, unknown>) => postEvent(ID, { e: String(EXPIRES), s: signature, decision: "approve" }, { claims });
const approverOnRecord = async () => (await store.get(ID))!.decision?.approver;

beforeEach(async () => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  store = new InMemoryApprovalStore();
  await store.create(approvalRecord({ taskToken: "token" }), { lockedUntil: 1_900_000_000 }, new Date("2027-03-03T21:40:00.000Z"));
  signature = (await signLink(ID, EXPIRES, signer)).signature;
});

describe("who is recorded", () => {
  it("the token's iss and sub, and its email when email_verified is true (API Gateway passes claims as strings)", async () => {
    const response = await handler()(approveAs({ iss: ISSUER, sub: "00u1", email: "carol@example.com", email_verified: "true" }));
    expect(response.statusCode).toBe(200);
    expect(await approverOnRecord()).toEqual({
      kind: "verified",
      identity: "carol@example.com",
      issuer: ISSUER,
      subject: "00u1",
      email: "carol@example.com",
      sourceIp: "198.51.100.7",
      userAgent: "Mozilla/5.0 (iPhone)",
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["email_verified false", { email_verified: "false" }, "the token's email claim is not recorded: its email_verified claim is not true"],
    ["no email_verified claim", {}, "the token's email claim is not recorded: its email_verified claim is not true"],
  ])("with %s: no e-mail address, the subject names the approver, and the record says why", async (_what, extra, note) => {
    await handler()(approveAs({ iss: ISSUER, sub: "00u1", email: "ceo@example.com", ...extra }));
    const approver = await approverOnRecord();
    expect(approver).toMatchObject({ kind: "verified", identity: "00u1", subject: "00u1", emailNote: note });
    expect(approver!.email).toBeUndefined();
    expect(JSON.stringify(approver)).not.toContain("ceo@example.com");
  });

  it("a token that names nobody (no sub, no verified email) cannot decide", async () => {
    const response = await handler()(approveAs({ iss: ISSUER, email: "ceo@example.com" }));
    expect(response.statusCode).toBe(401);
    expect((await store.get(ID))!.status).toBe("PENDING");
  });

  it("a decision without verified claims is refused, and the page says sign-in is needed", async () => {
    const callback = handler();
    expect((await callback(approveAs())).statusCode).toBe(401);
    expect((await callback(getEvent(`e=${EXPIRES}&s=${signature}`, ID))).body).toContain(
      "Deciding requires a sign-in with https://login.example.com: open this link through your organization's sign-in gateway.",
    );
  });
});

describe("with approversOnly: only an approver of the environment or the instance's owner decides", () => {
  it.each([
    ["an approver of the request's environment (any letter case)", "prod-approvers@EXAMPLE.com"],
    ["the instance's owner", "alice@example.com"],
  ])("accepts %s", async (_who, email) => {
    const response = await handler({ approvers, ownerDomains: ["example.com"] })(approveAs({ iss: ISSUER, sub: "00u1", email, email_verified: "true" }));
    expect(response.statusCode).toBe(200);
    expect((await approverOnRecord())!.email).toBe(email);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "an approver of another environment",
      { email: "mallory@example.com", email_verified: "true" },
      "mallory@example.com is neither an approver of prod nor the instance&#39;s owner",
    ],
    [
      "an approver's address the identity provider did not verify",
      { email: "prod-approvers@example.com", email_verified: "false" },
      "your sign-in gives no verified e-mail address (the token&#39;s email claim is not recorded: its email_verified claim is not true)",
    ],
    ["a token without an address", {}, "your sign-in gives no verified e-mail address (the token has no email claim)"],
  ])("refuses %s with a page that says why; nothing is decided", async (_who, claims, reason) => {
    const response = await handler({ approvers })(approveAs({ iss: ISSUER, sub: "00u9", ...claims }));
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain("<h1>Not yours to decide</h1>");
    expect(response.body).toContain(reason);
    expect((await store.get(ID))!).toMatchObject({ status: "PENDING", taskToken: "token" });
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it("refuses the owner tag's address outside the owner domains: whoever may tag an instance must not make themselves its decider", async () => {
    const owner = { iss: ISSUER, sub: "00u1", email: "alice@example.com", email_verified: "true" };
    for (const ownerDomains of [undefined, ["corp.example"]]) {
      const response = await handler({ approvers, ...(ownerDomains ? { ownerDomains } : {}) })(approveAs(owner));
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain("alice@example.com is neither an approver of prod nor the instance&#39;s owner");
    }
    expect((await store.get(ID))!).toMatchObject({ status: "PENDING", taskToken: "token" });
  });

  it("without approversOnly, any verified identity decides", async () => {
    expect((await handler()(approveAs({ iss: ISSUER, sub: "00u9", email: "mallory@example.com", email_verified: "true" }))).statusCode).toBe(200);
  });
});

describe("the approver directory written at synth", () => {
  it.each([
    ["[]", "APPROVER_EMAILS is not a JSON object of environment → addresses"],
    ['{"prod":"a@example.com"}', "APPROVER_EMAILS.prod is not a list of addresses"],
  ])("%s is refused at cold start", (json, message) => {
    expect(() => parseApproverDirectory(json)).toThrow(message);
  });
});
