import { describe, expect, it } from "vitest";
import { taskError } from "../../test/support/local-state-machine.js";

import { complianceEvent, later, happyPath, run, called, recordedOutcome, timeout } from "../../test/support/approval-workflow-run.js";

describe("nobody answers", () => {
  it("prod: asks, reminds three times, escalates, and applies onNoResponse reject", async () => {
    const execution = await run(complianceEvent(), { "Ask in prod": timeout });
    expect((called(execution, "Ask in prod") as { Payload: { reminder: number } }[]).map((c) => c.Payload.reminder)).toEqual([0, 1, 2, 3]);
    expect(called(execution, "CloseUnanswered")).toEqual([
      {
        action: "closeUnanswered",
        approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
        request: { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890", environment: "prod" },
      },
    ]);
    expect(execution.status).toBe("SUCCEEDED");
    expect(recordedOutcome(execution)).toEqual({ status: "expired" });
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });

  it("dev: reminds once, escalates, and applies onNoResponse approve: patched", async () => {
    const execution = await run(complianceEvent({ account: "200000000002", region: "us-east-1" }), { "Ask in dev": timeout });
    expect(called(execution, "Ask in dev")).toHaveLength(2);
    expect(execution.path).toEqual(expect.arrayContaining(["CloseUnanswered", "OnNoResponse", "ApproveWithoutResponse", "SendPatchCommand", "Patched"]));
    const { state } = called(execution, "RecordOutcome")[0] as { state: { decision: unknown } };
    expect(state.decision).toEqual({
      decision: "approve",
      approver: { kind: "policy", identity: "nobody answered; the environment's onNoResponse is approve" },
    });
    expect(execution.status).toBe("SUCCEEDED");
  });

  it("a decision recorded after the last wait ended is taken instead of onNoResponse", async () => {
    const late = { decision: "reject", approver: { kind: "unverified", identity: "carol" }, decidedAt: later };
    const execution = await run(complianceEvent(), { "Ask in prod": timeout, CloseUnanswered: () => ({ answered: true, decision: late }) });
    expect(execution.path).toEqual(expect.arrayContaining(["TakeLateDecision", "CheckDecision", "Rejected"]));
    expect(recordedOutcome(execution)).toEqual({ status: "rejected" });
  });
});

describe("failures end in a recorded, announced outcome", () => {
  it("the backup cannot be created: recorded, not patched, execution failed", async () => {
    const execution = await run(complianceEvent(), {
      CreateBackup: () => Promise.reject(taskError("UnauthorizedOperation", "not authorized to perform ec2:CreateImage")),
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "backup-failed" });
    expect((called(execution, "RecordOutcome")[0] as { state: { error: unknown } }).state.error).toEqual({
      Error: "UnauthorizedOperation",
      Cause: "not authorized to perform ec2:CreateImage",
    });
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });

  it.each(["failed", "timed-out"])("the AMI ends %s: recorded, not patched", async (status) => {
    const execution = await run(complianceEvent(), {
      CheckBackup: () => ({ imageId: "ami-0123456789abcdef0", status, reason: "the image did not become available", checks: 1 }),
    });
    expect(recordedOutcome(execution)).toEqual({ status: "backup-failed" });
    expect(called(execution, "SendPatchCommand")).toEqual([]);
    expect(execution.status).toBe("FAILED");
  });

  it.each(["failed", "timed-out"])("the patch command ends %s: recorded with the command", async (status) => {
    const execution = await run(complianceEvent(), {
      CheckPatch: () => ({ commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status, commandStatus: "Failed", checks: 1 }),
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "patch-failed" });
    expect((called(execution, "RecordOutcome")[0] as { state: { command: unknown } }).state.command).toMatchObject({
      commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
      status,
    });
  });

  it("the command cannot be sent: recorded as patch-failed", async () => {
    const execution = await run(complianceEvent(), {
      SendPatchCommand: () => Promise.reject(taskError("InvalidInstanceId", "the instance is not managed by SSM")),
    });
    expect(recordedOutcome(execution)).toEqual({ status: "patch-failed" });
  });

  it.each([
    ["LookUpInstance", "look up the instance"],
    ["ReadPatchState", "read the instance's patch state"],
    ["RegisterRequest", "register the approval request"],
    ["Ask in prod", "send the approval request"],
  ])("%s fails for good: recorded as an error of that step", async (state, step) => {
    const execution = await run(complianceEvent(), { [state]: () => Promise.reject(taskError("AccessDenied", "not authorized")) });
    expect(recordedOutcome(execution)).toEqual({ status: "error", step });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
  });

  it("recording the outcome fails: the platform team's topic is told, the execution fails", async () => {
    const execution = await run(complianceEvent(), {
      RecordOutcome: () => Promise.reject(taskError("ResourceNotFoundException")),
      ReportUnrecordedOutcome: () => ({ MessageId: "m-1" }),
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "OutcomeNotRecorded" });
    const [publish] = called(execution, "ReportUnrecordedOutcome") as { TopicArn: string; Message: string }[];
    expect(publish!.TopicArn).toBe("arn:aws:sns:us-east-1:100000000001:patchline-notifications");
    expect(publish!.Message).toContain("instance i-0abc123def4567890 (account 400000000002, region eu-west-1) ended with outcome patched");
  });
});

describe("throttling", () => {
  it("member calls retried after TransientAwsError and Lambda throttling, then the run succeeds", async () => {
    const execution = await run(complianceEvent(), {
      LookUpInstance: (_input, call) =>
        call === 1 ? Promise.reject(taskError("TransientAwsError", "ec2 DescribeInstances: Request limit exceeded.")) : happyPath.LookUpInstance!(_input, call),
      SendPatchCommand: (_input, call) => (call < 3 ? Promise.reject(taskError("Lambda.TooManyRequestsException")) : happyPath.SendPatchCommand!(_input, call)),
    });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.retried).toEqual(["LookUpInstance", "SendPatchCommand", "SendPatchCommand"]);
    expect(recordedOutcome(execution)).toEqual({ status: "patched" });
  });

  it("gives up after the bounded attempts and records the error", async () => {
    const execution = await run(complianceEvent(), { ReadPatchState: () => Promise.reject(taskError("TransientAwsError")) });
    expect(execution.retried.filter((s) => s === "ReadPatchState")).toHaveLength(6);
    expect(recordedOutcome(execution)).toEqual({ status: "error", step: "read the instance's patch state" });
  });
});
