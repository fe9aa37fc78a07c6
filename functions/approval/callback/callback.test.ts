import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { approvalRecord, HmacLinkSigner, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { getEvent, PAGE_ORIGIN, postEvent, type PostOptions } from "../../../test/support/callback-events.js";
import { signLink } from "../shared/link.js";
import type { ApprovalRecord } from "../shared/record.js";
import { createCallbackHandler, type CallbackDeps } from "./callback.js";

const sfn = mockClient(SFNClient);
const signer = new HmacLinkSigner();
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-secret-task-token";
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";
const EXPIRES = Date.parse("2027-03-06T21:40:00.000Z") / 1000;

let store: InMemoryApprovalStore;
let log: ReturnType<typeof recordingLog>;
let clock: Date;
let signature: string;

function handler(overrides: Partial<CallbackDeps> = {}) {
  return createCallbackHandler({
    store,
    signer,
    sfn: new SFNClient({ region: "us-east-1" }),
    pageOrigin: PAGE_ORIGIN,
    now: () => clock,
    log,
    ...overrides,
  });
}

const get = (query: string, approvalId = ID) => getEvent(query, approvalId);
const post = (fields: Record<string, string>, options: PostOptions = {}) => postEvent(ID, fields, options);
const approve = (options: PostOptions = {}) => post({ e: String(EXPIRES), s: signature, decision: "approve" }, options);

beforeEach(async () => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  store = new InMemoryApprovalStore();
  log = recordingLog();
  clock = new Date("2027-03-04T08:00:00.000Z");
  await store.create(approvalRecord({ taskToken: TOKEN }), { lockedUntil: 1_900_000_000 }, new Date("2027-03-03T21:40:00.000Z"));
  signature = (await signLink(ID, EXPIRES, signer)).signature;
});

describe("GET shows the request and changes nothing", () => {
  it("renders the instance, account, environment and what approving does", async () => {
    const before = structuredClone(await store.get(ID));
    const response = await handler()(get(`e=${EXPIRES}&s=${signature}`));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("<h1>Approve patching of web-1 (i-0abc123def4567890)?</h1>");
    expect(response.body).toContain("<dt>Account</dt><dd>400000000002</dd>");
    expect(response.body).toContain("<dt>Environment</dt><dd>prod</dd>");
    expect(response.body).toContain("An AMI of the instance is taken first");
    expect(response.body).toContain('<button type="submit" name="decision" value="approve" class="approve">Approve</button>');
    expect(response.body).toContain("patchline records your IP address and browser (user agent) with your decision");
    expect(await store.get(ID)).toEqual(before);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it("never caches, never leaks the URL as a referrer to another site, allows no scripts", async () => {
    const { headers } = await handler()(get(`e=${EXPIRES}&s=${signature}`));
    expect(headers).toMatchObject({ "Cache-Control": "no-store", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY" });
    expect(headers["Content-Security-Policy"]).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/,
    );
  });

  it("escapes tag values from the member account", async () => {
    store.approvals.set(ID, approvalRecord({ taskToken: TOKEN, instanceName: "<script>alert(1)</script>" }));
    const { body } = await handler()(get(`e=${EXPIRES}&s=${signature}`));
    expect(body).not.toContain("<script>");
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it.each([
    ["a changed signature", () => `e=${EXPIRES}&s=${signature.slice(0, -2)}${signature.endsWith("AA") ? "BA" : "AA"}`, 403, "This link is not valid"],
    ["a later expiry than signed", () => `e=${EXPIRES + 86_400}&s=${signature}`, 403, "This link is not valid"],
    ["no signature", () => `e=${EXPIRES}`, 400, "This link is incomplete"],
    ["a signature given twice", () => `e=${EXPIRES}&s=${signature}&s=${signature}`, 400, "This link is incomplete"],
  ])("refuses %s", async (_what, query, status, title) => {
    const response = await handler()(get(query()));
    expect(response.statusCode).toBe(status);
    expect(response.body).toContain(`<h1>${title}</h1>`);
  });

  it("refuses an expired link, even one whose signature was good", async () => {
    clock = new Date((EXPIRES + 1) * 1000);
    const response = await handler()(get(`e=${EXPIRES}&s=${signature}`));
    expect(response).toMatchObject({ statusCode: 410, body: expect.stringContaining("This link has expired") });
  });

  it("answers 404 for a well-signed link to a request that does not exist", async () => {
    const other = "Zq3Yw8n1Zq5d0xJ2r6u9Aw";
    const { signature: otherSignature } = await signLink(other, EXPIRES, signer);
    expect((await handler()(get(`e=${EXPIRES}&s=${otherSignature}`, other))).statusCode).toBe(404);
  });
});

describe("POST decides once", () => {
  it("approve: records the decision with who and from where, then sends the stored token to the waiting task", async () => {
    const response = await handler()(approve());
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("<h1>Approved</h1>");
    expect(response.body).toContain("Patching of web-1 (i-0abc123def4567890) starts with an AMI backup");
    const decision = {
      decision: "approve",
      approver: { kind: "unverified", identity: "someone holding the link", sourceIp: "198.51.100.7", userAgent: "Mozilla/5.0 (iPhone)" },
      decidedAt: "2027-03-04T08:00:00.000Z",
    };
    expect((await store.get(ID))!).toMatchObject({ status: "DECIDED", decision });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: TOKEN, output: JSON.stringify(decision) });
  });

  it("reject: the same, with the reject decision", async () => {
    const response = await handler()(post({ e: String(EXPIRES), s: signature, decision: "reject" }));
    expect(response.body).toContain("<h1>Rejected</h1>");
    expect(JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output!)).toMatchObject({ decision: "reject" });
  });

  it("two concurrent POSTs: one decides, the other is told it was already decided; the token is used once", async () => {
    const callback = handler();
    const [a, b] = await Promise.all([callback(approve()), callback(post({ e: String(EXPIRES), s: signature, decision: "reject" }))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.body).toContain("<h1>Already decided</h1>");
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it("a decided request shows the decision and its time, never the decider's IP or browser, on GET and on another POST", async () => {
    await handler()(approve());
    const again = await handler()(get(`e=${EXPIRES}&s=${signature}`));
    const secondPost = await handler()(approve());
    expect(again.statusCode).toBe(200);
    expect(secondPost.statusCode).toBe(409);
    for (const { body } of [again, secondPost]) {
      expect(body).toContain("<h1>Already decided</h1>");
      expect(body).toContain("<p>Approved at 2027-03-04 08:00 UTC.</p>");
      expect(body).not.toContain("198.51.100.7");
      expect(body).not.toContain("Mozilla");
    }
    // the audit trail keeps them
    expect((await store.get(ID))!.decision!.approver).toMatchObject({ sourceIp: "198.51.100.7", userAgent: "Mozilla/5.0 (iPhone)" });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it.each<[string, Partial<ApprovalRecord>]>([
    ["past its deadline", { deadline: "2027-03-04T07:59:59.000Z" }],
    ["closed unanswered", { status: "NO_RESPONSE", taskToken: undefined }],
  ])("refuses a request %s and changes nothing", async (_what, change) => {
    store.approvals.set(ID, approvalRecord({ taskToken: TOKEN, ...change }));
    const response = await handler()(approve());
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain("<h1>No longer open</h1>");
    expect((await store.get(ID))!.decision).toBeUndefined();
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it("shows a request the workflow ended before anyone decided (it could not ask) as closed, on GET and POST", async () => {
    const ended = {
      taskToken: undefined,
      outcome: {
        status: "error" as const,
        step: "Ask",
        detail: "the approval request could not be sent (Sns.SnsException)",
        finishedAt: "2027-03-03T21:41:00.000Z",
      },
    };
    store.approvals.set(ID, approvalRecord(ended));
    const page = await handler()(get(`e=${EXPIRES}&s=${signature}`));
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain("<h1>No longer open</h1>");
    expect(page.body).toContain("closed by patchline before anyone decided: the approval request could not be sent (Sns.SnsException)");
    expect(page.body).not.toContain('value="approve"');
    expect((await handler()(approve())).statusCode).toBe(410);
    expect((await store.get(ID))!.decision).toBeUndefined();
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it.each([
    ["an unknown decision", post({ e: String(EXPIRES), s: signature, decision: "maybe" })],
    ["no decision", post({ e: String(EXPIRES), s: signature })],
    ["a JSON body", post({ e: String(EXPIRES), s: signature, decision: "approve" }, { contentType: "application/json" })],
    ["a forged signature", post({ e: String(EXPIRES), s: "A".repeat(43), decision: "approve" })],
  ])("refuses %s without deciding", async (_what, request) => {
    const response = await handler()(request);
    expect([400, 403]).toContain(response.statusCode);
    expect((await store.get(ID))!.status).toBe("PENDING");
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it("records the decision even when the wait has just ended; the workflow picks it up from the table", async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: "Task Timed Out", $metadata: {} }));
    const response = await handler()(approve());
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("The workflow takes up the decision at its next step");
    expect((await store.get(ID))!.status).toBe("DECIDED");
  });

  it("never logs the task token or the link's signature", async () => {
    await handler()(approve());
    await handler()(get(`e=${EXPIRES}&s=${signature}`));
    const logged = JSON.stringify(log.lines);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(signature);
    expect(logged).toContain("decision recorded");
  });
});

describe("POST only from the approval page's own origin", () => {
  const untouched = async () => {
    expect((await store.get(ID))!).toMatchObject({ status: "PENDING", taskToken: TOKEN });
    expect((await store.get(ID))!.decision).toBeUndefined();
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  };

  it.each<[string, Record<string, string | undefined>, string]>([
    [
      "a form another site's page submits",
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      "the browser reports it was sent from another site (Sec-Fetch-Site: &quot;cross-site&quot;)",
    ],
    [
      "a foreign Origin from a browser without Sec-Fetch-Site",
      { "sec-fetch-site": undefined, origin: "https://evil.example" },
      "it was sent from &quot;https://evil.example&quot;",
    ],
    ["a POST that names no page at all", { "sec-fetch-site": undefined, origin: undefined }, "no Sec-Fetch-Site or Origin header"],
  ])("refuses %s with a 403 page that says why; nothing is decided or consumed", async (_what, headers, reason) => {
    const callback = handler();
    const response = await callback(approve({ headers }));
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain("<h1>Decision refused</h1>");
    expect(response.body).toContain(reason);
    expect(response.body).toContain("Nothing was changed.");
    await untouched();
    // the link still works from the page itself
    expect((await callback(approve())).statusCode).toBe(200);
  });

  it("accepts the page's own origin from a browser without Sec-Fetch-Site", async () => {
    expect((await handler()(approve({ headers: { "sec-fetch-site": undefined } }))).statusCode).toBe(200);
  });

  it("refuses before the link is checked: a cross-site POST costs no KMS call", async () => {
    const verify = vi.spyOn(signer, "verify");
    await handler()(approve({ headers: { "sec-fetch-site": "cross-site" } }));
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
  });

  it("behind the CloudFront edge, records the viewer's address CloudFront reports", async () => {
    await handler({ behindEdge: true })(approve({ headers: { "cloudfront-viewer-address": "203.0.113.50:53211" } }));
    expect((await store.get(ID))!.decision!.approver.sourceIp).toBe("203.0.113.50");
  });

  it("without the edge, a CloudFront-Viewer-Address header the client sent is not believed", async () => {
    await handler()(approve({ headers: { "cloudfront-viewer-address": "203.0.113.50:53211" } }));
    expect((await store.get(ID))!.decision!.approver.sourceIp).toBe("198.51.100.7");
  });
});

describe("failures of AWS", () => {
  it("answer 503 with a page, and decide nothing", async () => {
    const failing = Object.assign(Object.create(store), { decide: () => Promise.reject(new Error("ProvisionedThroughputExceededException")) });
    const response = await handler({ store: failing })(approve());
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain("Try again in a minute");
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it("other methods are answered with 405", async () => {
    const response = await handler()({ ...get(""), requestContext: { http: { method: "DELETE" } } });
    expect(response).toMatchObject({ statusCode: 405, headers: { Allow: "GET, POST" } });
  });
});
