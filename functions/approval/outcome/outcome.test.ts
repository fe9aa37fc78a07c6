import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { approvalRecord, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { closeUnanswered, finish, type FinishInput, type OutcomeDeps } from "./outcome.js";

const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";
const EXECUTION = "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1";
const request = { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890", environment: "prod" };
const topics = {
  approvals: "arn:aws:sns:us-east-1:100000000001:patchline-approvals",
  escalation: "arn:aws:sns:us-east-1:100000000001:patchline-approval-escalations",
  notifications: "arn:aws:sns:us-east-1:100000000001:patchline-notifications",
};

let store: InMemoryApprovalStore;
const clock = new Date("2027-03-08T10:00:00.000Z");

function deps(overrides: Partial<OutcomeDeps> = {}): OutcomeDeps {
  return {
    store,
    sns: new SNSClient({ region: "us-east-1" }),
    approvalsTopicArn: topics.approvals,
    escalationTopicArn: topics.escalation,
    notificationsTopicArn: topics.notifications,
    recordRetentionDays: 400,
    email: { client: new SESv2Client({ region: "us-east-1" }), from: "patchline@example.com", ownerDomains: ["example.com"] },
    now: () => clock,
    log: recordingLog(),
    ...overrides,
  };
}

const published = (topicArn: string) =>
  sns
    .commandCalls(PublishCommand)
    .filter((c) => c.args[0].input.TopicArn === topicArn)
    .map((c) => c.args[0].input);

beforeEach(async () => {
  sns.reset();
  ses.reset();
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  ses.on(SendEmailCommand).resolves({ MessageId: "e-1" });
  store = new InMemoryApprovalStore();
  await store.create(approvalRecord({ taskToken: "token", remindersSent: 3 }), { lockedUntil: 1_900_000_000 }, new Date("2027-03-03T21:40:00.000Z"));
});

describe("closeUnanswered", () => {
  it("closes the request, drops the token and escalates with what happens next", async () => {
    await expect(closeUnanswered({ action: "closeUnanswered", approvalId: ID, request }, deps())).resolves.toEqual({ answered: false });
    const record = (await store.get(ID))!;
    expect(record).toMatchObject({ status: "NO_RESPONSE", closedAt: clock.toISOString() });
    expect(record.taskToken).toBeUndefined();
    const [escalation] = published(topics.escalation);
    expect(escalation).toMatchObject({
      Subject: "[patchline] Escalation: nobody approved patching of web-1 (i-0abc123def4567890) in prod",
      MessageAttributes: { environment: { StringValue: "prod" } },
    });
    expect(escalation!.Message).toContain("after 3 reminder(s).\nIt is rejected and stays unpatched (onNoResponse reject).");
  });

  it("returns a decision that reached the table meanwhile instead of closing", async () => {
    const decision = {
      decision: "approve" as const,
      approver: { kind: "unverified" as const, identity: "someone holding the link" },
      decidedAt: "2027-03-07T21:39:59.000Z",
    };
    await store.decide(ID, decision);
    await expect(closeUnanswered({ action: "closeUnanswered", approvalId: ID, request }, deps())).resolves.toEqual({ answered: true, decision });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it("escalates again when retried after it closed the request", async () => {
    await closeUnanswered({ action: "closeUnanswered", approvalId: ID, request }, deps());
    await expect(closeUnanswered({ action: "closeUnanswered", approvalId: ID, request }, deps())).resolves.toEqual({ answered: false });
    expect(published(topics.escalation)).toHaveLength(2);
  });
});

describe("finish", () => {
  const patched: FinishInput = {
    action: "finish",
    execution: EXECUTION,
    state: {
      request,
      outcome: { status: "patched" },
      approval: { approvalId: ID },
      decision: {
        decision: "approve",
        approver: { kind: "verified", identity: "alice@example.com", issuer: "https://login.example.com", sourceIp: "198.51.100.7" },
        decidedAt: "2027-03-04T08:00:00.000Z",
      },
      backup: { imageId: "ami-0123456789abcdef0", status: "available" },
      command: { commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status: "succeeded", commandStatus: "Success" },
    },
  };

  it("records the outcome with the AMI and the command, drops the token, and frees the instance", async () => {
    await finish(patched, deps());
    const record = (await store.get(ID))!;
    expect(record.outcome).toEqual({
      status: "patched",
      amiId: "ami-0123456789abcdef0",
      commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
      commandStatus: "Success",
      finishedAt: clock.toISOString(),
    });
    expect(record.taskToken).toBeUndefined();
    expect(store.locks.size).toBe(0);
  });

  it("announces it to the environment's approvers and the owner, not to the platform team", async () => {
    await finish(patched, deps());
    const [message] = published(topics.approvals);
    expect(message!.Subject).toBe("[patchline] web-1 (i-0abc123def4567890) is patched");
    expect(message!.Message).toContain("Decision: approved by alice@example.com (signed in with https://login.example.com) at 2027-03-04 08:00 UTC");
    expect(message!.Message).toContain("Backup AMI: ami-0123456789abcdef0");
    expect(message!.Message).toContain("Patch command: 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b (Success)");
    expect(published(topics.notifications)).toEqual([]);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, { Destination: { ToAddresses: ["alice@example.com"] } });
  });

  it("does not mail an owner outside the owner domains", async () => {
    await finish(
      patched,
      deps({ email: { client: new SESv2Client({ region: "us-east-1" }), from: "patchline@example.com", ownerDomains: ["*.example.com"] } }),
    );
    expect(published(topics.approvals)).toHaveLength(1);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it("a failed patch also goes to the platform team, with the command's status and output", async () => {
    const failed: FinishInput = {
      ...patched,
      state: {
        ...patched.state,
        outcome: { status: "patch-failed" },
        command: { commandId: "c-1", status: "failed", commandStatus: "Failed", statusDetails: "Failed", errorExcerpt: "yum: no space left on device" },
      },
    };
    await finish(failed, deps());
    expect(published(topics.notifications)[0]!.Subject).toBe("[patchline] Patching of web-1 (i-0abc123def4567890) failed");
    expect(published(topics.notifications)[0]!.Message).toContain("Details: status details: Failed; output: yum: no space left on device");
    expect((await store.get(ID))!.outcome).toMatchObject({ status: "patch-failed", commandStatus: "Failed" });
  });

  it("records the decision nobody made when onNoResponse approved it", async () => {
    await store.closeUnanswered(ID, "2027-03-07T21:40:00.000Z");
    const policy = {
      decision: "approve" as const,
      approver: { kind: "policy" as const, identity: "nobody answered; the environment's onNoResponse is approve" },
    };
    await finish({ ...patched, state: { ...patched.state, decision: policy } }, deps());
    expect((await store.get(ID))!.decision).toEqual({ ...policy, decidedAt: clock.toISOString() });
  });

  it("keeps the error of a failed step, with the Lambda error message out of its cause", async () => {
    const cause = JSON.stringify({ errorType: "AccessDenied", errorMessage: "not authorized to perform ssm:SendCommand", trace: [] });
    await finish(
      {
        ...patched,
        state: {
          request,
          outcome: { status: "error", step: "send the approval request" },
          approval: { approvalId: ID },
          error: { Error: "AccessDenied", Cause: cause },
        },
      },
      deps(),
    );
    expect((await store.get(ID))!.outcome).toMatchObject({
      status: "error",
      step: "send the approval request",
      detail: "AccessDenied: not authorized to perform ssm:SendCommand",
    });
  });

  it("records a run that ended before a request existed as an execution record, and tells the platform team", async () => {
    await finish(
      {
        action: "finish",
        execution: EXECUTION,
        state: {
          request,
          instance: { name: "web-1" },
          outcome: { status: "error", step: "look up the instance" },
          error: { Error: "AccessDenied", Cause: "no role" },
        },
      },
      deps(),
    );
    expect(store.executions).toEqual([
      {
        execution: EXECUTION,
        request,
        outcome: { status: "error", step: "look up the instance", detail: "AccessDenied: no role", finishedAt: clock.toISOString() },
        expiresAt: clock.getTime() / 1000 + 400 * 86_400,
      },
    ]);
    expect(published(topics.notifications)[0]!.Message).toContain("Failed step: look up the instance");
    expect(store.locks.size).toBe(1);
  });

  it("records an instance that misses no urgent patch as not urgent, with why, and tells nobody", async () => {
    const urgency = "none of its 2 missing or failed patches matches the trigger (severities Critical)";
    await expect(
      finish(
        {
          action: "finish",
          execution: EXECUTION,
          state: { request, instance: { name: "web-1" }, outcome: { status: "not-urgent" }, patchState: { urgency } },
        },
        deps(),
      ),
    ).resolves.toEqual({ recorded: true });
    expect(store.executions).toEqual([
      {
        execution: EXECUTION,
        request,
        outcome: { status: "not-urgent", detail: urgency, finishedAt: clock.toISOString() },
        expiresAt: clock.getTime() / 1000 + 400 * 86_400,
      },
    ]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    // the instance's lock belongs to another run's request: not this run's to free
    expect(store.locks.size).toBe(1);
  });
});
