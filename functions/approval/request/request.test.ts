import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { approvalRecord, HmacLinkSigner, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { checkLink } from "../shared/link.js";
import { ask, register, type RegisterInput, type RequestDeps } from "./request.js";

const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const sfn = mockClient(SFNClient);
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-secret-task-token";
const signer = new HmacLinkSigner();

let store: InMemoryApprovalStore;
let log: ReturnType<typeof recordingLog>;
let clock: Date;

function deps(overrides: Partial<RequestDeps> = {}): RequestDeps {
  return {
    store,
    signer,
    sns: new SNSClient({ region: "us-east-1" }),
    sfn: new SFNClient({ region: "us-east-1" }),
    approvalsTopicArn: "arn:aws:sns:us-east-1:100000000001:patchline-approvals",
    apiUrl: "https://abc123.execute-api.us-east-1.amazonaws.com",
    ownerTagKey: "Owner",
    linkValiditySeconds: 72 * 3600,
    recordRetentionDays: 400,
    email: { client: new SESv2Client({ region: "us-east-1" }), from: "patchline@example.com", ownerDomains: ["example.com"] },
    now: () => clock,
    newId: () => "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
    log,
    ...overrides,
  };
}

const registration: RegisterInput = {
  action: "register",
  execution: "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1",
  request: { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890", environment: "prod" },
  settings: {
    reminderIntervalHours: 24,
    reminderCount: 3,
    onNoResponse: "reject",
    backupBeforePatch: true,
    backupTimeoutMinutes: 180,
    rebootOption: "RebootIfNeeded",
    patchTimeoutMinutes: 240,
  },
  instance: { name: "web-1", owner: "alice@example.com" },
  patchState: {
    missingCount: 4,
    failedCount: 0,
    installedPendingRebootCount: 0,
    criticalNonCompliantCount: 1,
    securityNonCompliantCount: 3,
    otherNonCompliantCount: 0,
    baselineId: "pb-1",
  },
};

beforeEach(() => {
  sns.reset();
  ses.reset();
  sfn.reset();
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  ses.on(SendEmailCommand).resolves({ MessageId: "e-1" });
  store = new InMemoryApprovalStore();
  log = recordingLog();
  clock = new Date("2027-03-03T21:40:00.000Z");
});

describe("register", () => {
  it("creates a pending record whose deadline is the end of the last wait, and locks the instance until after the patch", async () => {
    const result = await register(registration, deps());
    expect(result).toEqual({ approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", deadline: "2027-03-07T21:40:00.000Z" });
    expect(await store.get("Yq3Yw8n1Zq5d0xJ2r6u9Aw")).toMatchObject({
      status: "PENDING",
      instanceName: "web-1",
      plan: { backupBeforePatch: true, reminderCount: 3 },
      remindersSent: 0,
    });
    const startSeconds = clock.getTime() / 1000;
    // 4 waits of 24 h + 180 min backup + 240 min patch + 1 h
    expect(store.locks.get("instance#400000000002#eu-west-1#i-0abc123def4567890")).toEqual({
      approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
      lockedUntil: startSeconds + 4 * 86_400 + 180 * 60 + 240 * 60 + 3600,
    });
  });

  it("refuses a second request for the same instance while the first holds the lock", async () => {
    await register(registration, deps());
    await expect(register(registration, deps({ newId: () => "Zq3Yw8n1Zq5d0xJ2r6u9Aw" }))).rejects.toMatchObject({ name: "ApprovalAlreadyPending" });
  });

  it("accepts a new request once the lock is released, or once a dead workflow's lock has run out", async () => {
    await register(registration, deps());
    await store.releaseLock(registration.request, "Yq3Yw8n1Zq5d0xJ2r6u9Aw");
    await expect(register(registration, deps({ newId: () => "Zq3Yw8n1Zq5d0xJ2r6u9Aw" }))).resolves.toBeDefined();
    clock = new Date("2027-04-01T00:00:00.000Z");
    await expect(register(registration, deps({ newId: () => "Xq3Yw8n1Zq5d0xJ2r6u9Aw" }))).resolves.toBeDefined();
  });
});

describe("ask", () => {
  beforeEach(async () => {
    await store.create(approvalRecord(), { lockedUntil: 1_900_000_000 }, clock);
  });

  it("stores the task token with the record and sends it nowhere: not to the topic, the owner, or the log", async () => {
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps());
    expect((await store.get("Yq3Yw8n1Zq5d0xJ2r6u9Aw"))!.taskToken).toBe(TOKEN);
    expect(JSON.stringify(sns.commandCalls(PublishCommand).map((c) => c.args[0].input))).not.toContain(TOKEN);
    expect(JSON.stringify(ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input))).not.toContain(TOKEN);
    expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
  });

  it("keeps the subject of a reminder for an instance with a long name within SNS's limit", async () => {
    await store.create(
      approvalRecord({
        approvalId: "Lq3Yw8n1Zq5d0xJ2r6u9Aw",
        instanceId: "i-0fedcba9876543210",
        instanceName: "payments-settlement-batch-worker-eu-west-1-blue",
      }),
      { lockedUntil: 1_900_000_000 },
      clock,
    );
    await ask({ action: "ask", approvalId: "Lq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 3, taskToken: TOKEN }, deps());
    const subject = sns.commandCalls(PublishCommand)[0]!.args[0].input.Subject!;
    expect(subject).toBe("[patchline] Reminder 3 of 3: approve patching of payments-settlement-batch-worker-eu-west-1-blue...");
    expect(subject.length).toBeLessThan(100);
  });

  it("publishes the request to the approvals topic for the environment's approvers, with a link that verifies", async () => {
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps());
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: "arn:aws:sns:us-east-1:100000000001:patchline-approvals",
      Subject: "[patchline] approve patching of web-1 (i-0abc123def4567890) in prod",
      MessageAttributes: { environment: { DataType: "String", StringValue: "prod" } },
    });
    const text = sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!;
    expect(text).toContain("Account: 400000000002");
    expect(text).toContain("Patches: 4 missing (1 critical, 3 security, 0 other non-compliant), 0 failed, 0 installed pending reboot");
    expect(text).toContain("An AMI of the instance is taken first, without rebooting it");
    expect(text).toContain("If nobody decides by 2027-03-07 21:40 UTC, the request is escalated and rejected: the instance stays unpatched.");
    const link = new URL(/Review and decide: (\S+)/.exec(text)![1]!);
    expect(link.origin + link.pathname).toBe("https://abc123.execute-api.us-east-1.amazonaws.com/approvals/Yq3Yw8n1Zq5d0xJ2r6u9Aw");
    const check = await checkLink(
      { approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", expires: link.searchParams.get("e")!, signature: link.searchParams.get("s")! },
      clock,
      signer,
    );
    expect(check).toEqual({ valid: true, expiresAt: clock.getTime() / 1000 + 72 * 3600 });
  });

  it("mails the owner from the owner tag through SES, with the same request", async () => {
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps());
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, { FromEmailAddress: "patchline@example.com", Destination: { ToAddresses: ["alice@example.com"] } });
    const html = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!.Body!.Html!.Data!;
    expect(html).toContain('<a href="https://abc123.execute-api.us-east-1.amazonaws.com/approvals/Yq3Yw8n1Zq5d0xJ2r6u9Aw?e=');
  });

  it("escapes tag values in the HTML mail", async () => {
    store.approvals.set("Yq3Yw8n1Zq5d0xJ2r6u9Aw", approvalRecord({ instanceName: '<img src=x onerror="alert(1)">' }));
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps());
    const html = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!.Body!.Html!.Data!;
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("does not mail owners whose tag is not an address, or when no sender is configured", async () => {
    store.approvals.set("Yq3Yw8n1Zq5d0xJ2r6u9Aw", approvalRecord({ owner: "Team Payments" }));
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps());
    store.approvals.set("Yq3Yw8n1Zq5d0xJ2r6u9Aw", approvalRecord());
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 1, taskToken: TOKEN }, deps({ email: undefined }));
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it("does not mail an owner outside the owner domains, and logs the invalid owner; the approvers' topic still has the request", async () => {
    store.approvals.set("Yq3Yw8n1Zq5d0xJ2r6u9Aw", approvalRecord({ owner: "mallory@evil.example" }));
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps());
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(log.lines).toContainEqual([
      "owner not mailed: invalid owner",
      { approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reason: "evil.example is not an owner domain" },
    ]);
  });

  it("keeps going when the owner mail fails: the topic has the request", async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error("Email address is not verified."), { name: "MessageRejected" }));
    await expect(ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps())).resolves.toEqual({ sent: true });
    expect(log.lines.some((l) => l[0] === "owner e-mail not sent")).toBe(true);
  });

  it("sends a reminder with a fresh link that expires no later than the deadline", async () => {
    clock = new Date("2027-03-06T21:40:00.000Z");
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 3, taskToken: TOKEN }, deps());
    const { Subject, Message } = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(Subject).toBe("[patchline] Reminder 3 of 3: approve patching of web-1 (i-0abc123def4567890) in prod");
    expect(new URL(/Review and decide: (\S+)/.exec(Message!)![1]!).searchParams.get("e")).toBe(String(Date.parse("2027-03-07T21:40:00.000Z") / 1000));
    expect((await store.get("Yq3Yw8n1Zq5d0xJ2r6u9Aw"))!.remindersSent).toBe(3);
  });

  it("hands a decision that reached the table while no wait was open to this wait, and sends nothing", async () => {
    const decision = {
      decision: "approve" as const,
      approver: { kind: "unverified" as const, identity: "someone holding the link", sourceIp: "198.51.100.7" },
      decidedAt: "2027-03-04T21:41:00.000Z",
    };
    store.approvals.set("Yq3Yw8n1Zq5d0xJ2r6u9Aw", approvalRecord({ status: "DECIDED", decision }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    await expect(ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 1, taskToken: TOKEN }, deps())).resolves.toEqual({ sent: false });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: TOKEN, output: JSON.stringify(decision) });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it("refuses to ask for a request that is closed", async () => {
    store.approvals.set("Yq3Yw8n1Zq5d0xJ2r6u9Aw", approvalRecord({ status: "NO_RESPONSE" }));
    await expect(ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 1, taskToken: TOKEN }, deps())).rejects.toThrow(
      "approval Yq3Yw8n1Zq5d0xJ2r6u9Aw is NO_RESPONSE; cannot ask for it",
    );
  });
});
