import { describe, expect, it } from "vitest";
import { exampleConfig, exampleNaming } from "../../test/support/construct-synth.js";
import { exampleWith } from "../../test/support/config.js";
import { executeLocally, taskError, type LocalExecution, type TaskHandler } from "../../test/support/local-state-machine.js";
import { parseOrgConfig, type OrgConfig } from "../../environments/schema/index.js";
import { approvalSettingsOf, approvalWorkflowDefinition, SETTINGS_STATE } from "./approval.js";
import { approvalScopes } from "./approval-settings.js";
import { assertValidDefinition, type StateMachineDefinition } from "./asl.js";

function definitionFor(config: OrgConfig = exampleConfig): StateMachineDefinition {
  return approvalWorkflowDefinition({
    scopes: approvalScopes(config),
    functions: {
      request: exampleNaming.approvalFunctionArn("request"),
      outcome: exampleNaming.approvalFunctionArn("outcome"),
      instance: exampleNaming.approvalFunctionArn("instance"),
      patch: exampleNaming.approvalFunctionArn("patch"),
    },
    fallbackTopicArn: exampleNaming.notificationsTopicArn,
  });
}

const definition = definitionFor();
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-task-token";

/** An SSM compliance event as the central bus delivers it (account and region are the member's). */
function complianceEvent(overrides: { account?: unknown; region?: unknown; detail?: Record<string, unknown>; "detail-type"?: unknown } = {}) {
  return {
    version: "0",
    id: "5f1b3c2a-0000-4000-8000-000000000001",
    "detail-type": overrides["detail-type"] ?? "Configuration Compliance State Change",
    source: "aws.ssm",
    account: overrides.account ?? "400000000002", // prod, web-prod
    time: "2027-03-03T21:40:00Z",
    region: overrides.region ?? "eu-west-1",
    resources: ["arn:aws:ssm:eu-west-1:400000000002:managed-instance/i-0abc123def4567890"],
    detail: {
      "resource-type": "managed-instance",
      "resource-id": "i-0abc123def4567890",
      "compliance-status": "non_compliant",
      "compliance-type": "Patch",
      "patch-baseline-id": "pb-0c10e65780example",
      severity: "critical",
      ...overrides.detail,
    },
  };
}

const later = "2027-03-04T03:40:00.000Z";

const approvedByAlice: TaskHandler = () => ({ decision: "approve", approver: { kind: "unverified", identity: "alice@example.com", sourceIp: "198.51.100.7" }, decidedAt: "2027-03-03T22:00:00.000Z" });

/** The functions answering as they do when everything works: a tagged instance, approved, patched. */
const happyPath: Record<string, TaskHandler> = {
  LookUpInstance: () => ({ tagged: true, name: "web-1", owner: "alice@example.com", state: "running", platform: "Linux/UNIX" }),
  ReadPatchState: () => ({ missingCount: 4, failedCount: 0, installedPendingRebootCount: 0, criticalNonCompliantCount: 1, securityNonCompliantCount: 3, baselineId: "pb-1" }),
  RegisterRequest: () => ({ approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", deadline: later }),
  "Ask in dev": approvedByAlice,
  "Ask in preprod": approvedByAlice,
  "Ask in prod": approvedByAlice,
  CloseUnanswered: () => ({ answered: false }),
  CreateBackup: () => ({ imageId: "ami-0123456789abcdef0", status: "pending", waitUntil: later, nextCheckSeconds: 60, checks: 0 }),
  CheckBackup: (_input, call) => ({ imageId: "ami-0123456789abcdef0", status: call < 3 ? "pending" : "available", waitUntil: later, nextCheckSeconds: 120, checks: call }),
  SendPatchCommand: () => ({ commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status: "in-progress", waitUntil: later, nextCheckSeconds: 30, checks: 0 }),
  CheckPatch: (_input, call) => ({ commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status: call < 2 ? "in-progress" : "succeeded", commandStatus: call < 2 ? "InProgress" : "Success", waitUntil: later, nextCheckSeconds: 60, checks: call }),
  RecordOutcome: () => ({ recorded: true }),
};

function run(input: unknown, overrides: Record<string, TaskHandler> = {}, def = definition): Promise<LocalExecution> {
  return executeLocally(def, input, { tasks: { ...happyPath, ...overrides }, context: { Task: { Token: TOKEN }, Execution: { Id: "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1" } } });
}

const called = (execution: LocalExecution, state: string) => execution.calls.get(state) ?? [];
/** The `$.outcome` RecordOutcome was given. */
const recordedOutcome = (execution: LocalExecution) => (called(execution, "RecordOutcome")[0] as { state: { outcome: unknown } } | undefined)?.state.outcome;
const timeout = () => Promise.reject(taskError("States.Timeout"));

describe("the approval workflow definition", () => {
  it("passes asl-validator", () => {
    expect(() => assertValidDefinition("patchline-approval", definition)).not.toThrow();
  });

  it("carries every environment's settings in one state, in the config's words", () => {
    expect(approvalSettingsOf(definition).prod).toEqual({
      environment: "prod",
      reminderIntervalHours: 24,
      reminderCount: 3,
      onNoResponse: "reject",
      backupBeforePatch: true,
      backupTimeoutMinutes: 180,
      rebootOption: "RebootIfNeeded",
      patchTimeoutMinutes: 240,
    });
    expect(Object.keys(approvalSettingsOf(definition))).toEqual(["dev", "preprod", "prod"]);
    expect(definition.StartAt).toBe(SETTINGS_STATE);
  });

  it("is plain data: the same config builds the same definition", () => {
    expect(JSON.stringify(definitionFor())).toBe(JSON.stringify(definition));
  });
});

describe("events that are not for the workflow end without asking anyone", () => {
  it.each([
    ["a missing instance id", complianceEvent({ detail: { "resource-id": undefined } })],
    ["an account that is not a string", complianceEvent({ account: 400000000002 })],
    ["another detail-type", complianceEvent({ "detail-type": "EC2 Command Status-change Notification" })],
    ["a compliant status", complianceEvent({ detail: { "compliance-status": "compliant" } })],
    ["an association compliance change", complianceEvent({ detail: { "compliance-type": "Association" } })],
    ["a resource id that is no instance", complianceEvent({ detail: { "resource-id": "vol-0abc" } })],
    ["no event at all", {}],
  ])("malformed: %s", async (_what, event) => {
    const execution = await run(event);
    expect(execution).toMatchObject({ status: "FAILED", error: "MalformedEvent" });
    expect(execution.calls.size).toBe(0);
  });

  it("accepts the status in upper case, as some SSM events carry it", async () => {
    const execution = await run(complianceEvent({ detail: { "compliance-status": "NON_COMPLIANT" } }), { LookUpInstance: () => ({ tagged: false }) });
    expect(execution.path).toContain("LookUpInstance");
  });

  it("an account outside the configured environments is refused before any role is assumed", async () => {
    const execution = await run(complianceEvent({ account: "999999999999" }));
    expect(execution).toMatchObject({ status: "FAILED", error: "AccountNotConfigured" });
    expect(execution.calls.size).toBe(0);
  });

  it("a configured account in a region it is not configured in is refused", async () => {
    const execution = await run(complianceEvent({ account: "200000000001", region: "eu-west-1" }));
    expect(execution).toMatchObject({ status: "FAILED", error: "AccountNotConfigured" });
    expect(execution.calls.size).toBe(0);
  });

  it("an account of an environment without approval ends quietly", async () => {
    const config = parseOrgConfig(exampleWith((d) => (d.environments.dev.approval.enabled = false)));
    const execution = await run(complianceEvent({ account: "200000000001", region: "us-east-1" }), {}, definitionFor(config));
    expect(execution).toMatchObject({ status: "SUCCEEDED", path: expect.arrayContaining(["ApprovalNotEnabled"]) });
    expect(execution.calls.size).toBe(0);
  });

  it("a hybrid managed node (mi-) ends quietly", async () => {
    const execution = await run(complianceEvent({ detail: { "resource-id": "mi-0123456789abcdef0" } }));
    expect(execution).toMatchObject({ status: "SUCCEEDED", path: expect.arrayContaining(["NotAnEc2Instance"]) });
    expect(execution.calls.size).toBe(0);
  });

  it("an instance not tagged patch-policy=patch-on-approval ends after the lookup", async () => {
    const execution = await run(complianceEvent(), { LookUpInstance: () => ({ tagged: false, name: "web-2", owner: null }) });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path.at(-1)).toBe("NotTaggedForApproval");
    expect(called(execution, "LookUpInstance")).toEqual([{ action: "lookUp", account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890" }]);
    expect(called(execution, "RegisterRequest")).toEqual([]);
  });

  it("an instance that no longer exists ends after the lookup", async () => {
    const execution = await run(complianceEvent(), { LookUpInstance: () => Promise.reject(taskError("InstanceNotFound")) });
    expect(execution).toMatchObject({ status: "SUCCEEDED", path: expect.arrayContaining(["InstanceGone"]) });
  });

  it("a duplicate event while a request is open ends without a second request", async () => {
    const execution = await run(complianceEvent(), { RegisterRequest: () => Promise.reject(taskError("ApprovalAlreadyPending")) });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path.at(-1)).toBe("AlreadyPending");
    expect(called(execution, "Ask in prod")).toEqual([]);
  });
});

describe("asking", () => {
  it("registers the request with the instance, its patch state and the environment's settings", async () => {
    const execution = await run(complianceEvent());
    expect(called(execution, "RegisterRequest")[0]).toMatchObject({
      action: "register",
      execution: "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1",
      request: { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890", environment: "prod" },
      settings: { environment: "prod", backupBeforePatch: true },
      instance: { tagged: true, name: "web-1", owner: "alice@example.com" },
      patchState: { missingCount: 4 },
    });
  });

  it("waits each environment's reminder interval for an answer", () => {
    expect(definition.States["Ask in prod"]).toMatchObject({ Type: "Task", TimeoutSeconds: 24 * 3600 });
    expect(definition.States["Ask in dev"]).toMatchObject({ Type: "Task", TimeoutSeconds: 8 * 3600 });
  });

  it("hands the task token only to the request function, with the approval id", async () => {
    const execution = await run(complianceEvent());
    expect(called(execution, "Ask in prod")).toEqual([
      { FunctionName: exampleNaming.approvalFunctionArn("request"), Payload: { action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN } },
    ]);
    for (const [state, calls] of execution.calls) if (state !== "Ask in prod") expect(JSON.stringify(calls), state).not.toContain(TOKEN);
  });
});

describe("approved", () => {
  it("prod: backs up, waits for the AMI, patches with the configured reboot option, waits for the command, records patched", async () => {
    const execution = await run(complianceEvent());
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path).toEqual(
      expect.arrayContaining(["CreateBackup", "WaitForBackup", "CheckBackup", "BackupReady", "SendPatchCommand", "WaitForPatch", "CheckPatch", "PatchDone", "Patched", "RecordOutcome", "Done"]),
    );
    expect(execution.path.indexOf("SendPatchCommand")).toBeGreaterThan(execution.path.lastIndexOf("CheckBackup"));
    expect(called(execution, "CheckBackup")).toHaveLength(3);
    expect(called(execution, "CreateBackup")[0]).toEqual({ action: "createBackup", account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", timeoutMinutes: 180 });
    expect(called(execution, "SendPatchCommand")[0]).toEqual({
      action: "sendCommand",
      account: "400000000002",
      region: "eu-west-1",
      instanceId: "i-0abc123def4567890",
      environment: "prod",
      approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
      rebootOption: "RebootIfNeeded",
      timeoutMinutes: 240,
    });
    expect(called(execution, "CheckPatch")[1]).toMatchObject({ action: "checkCommand", commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", checks: 1 });
    expect(recordedOutcome(execution)).toEqual({ status: "patched" });
  });

  it("records who decided, the AMI and the command with the outcome", async () => {
    const execution = await run(complianceEvent());
    const { state } = called(execution, "RecordOutcome")[0] as { state: Record<string, unknown> };
    expect(state).toMatchObject({
      decision: { decision: "approve", approver: { identity: "alice@example.com", sourceIp: "198.51.100.7" } },
      backup: { imageId: "ami-0123456789abcdef0", status: "available" },
      command: { commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status: "succeeded" },
      approval: { approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw" },
    });
  });

  it("dev: patches without a backup", async () => {
    const execution = await run(complianceEvent({ account: "200000000001", region: "us-east-1" }));
    expect(execution.status).toBe("SUCCEEDED");
    expect(called(execution, "CreateBackup")).toEqual([]);
    expect(called(execution, "SendPatchCommand")[0]).toMatchObject({ environment: "dev", rebootOption: "RebootIfNeeded", timeoutMinutes: 180 });
  });
});

describe("rejected", () => {
  it("records rejected and patches nothing", async () => {
    const execution = await run(complianceEvent(), { "Ask in prod": () => ({ decision: "reject", approver: { kind: "unverified", identity: "bob" }, decidedAt: later }) });
    expect(execution.status).toBe("SUCCEEDED");
    expect(recordedOutcome(execution)).toEqual({ status: "rejected" });
    expect(called(execution, "CreateBackup")).toEqual([]);
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });
});

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
    expect(state.decision).toEqual({ decision: "approve", approver: { kind: "policy", identity: "nobody answered; the environment's onNoResponse is approve" } });
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
    const execution = await run(complianceEvent(), { CreateBackup: () => Promise.reject(taskError("UnauthorizedOperation", "not authorized to perform ec2:CreateImage")) });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "backup-failed" });
    expect((called(execution, "RecordOutcome")[0] as { state: { error: unknown } }).state.error).toEqual({ Error: "UnauthorizedOperation", Cause: "not authorized to perform ec2:CreateImage" });
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });

  it.each(["failed", "timed-out"])("the AMI ends %s: recorded, not patched", async (status) => {
    const execution = await run(complianceEvent(), { CheckBackup: () => ({ imageId: "ami-0123456789abcdef0", status, reason: "the image did not become available", checks: 1 }) });
    expect(recordedOutcome(execution)).toEqual({ status: "backup-failed" });
    expect(called(execution, "SendPatchCommand")).toEqual([]);
    expect(execution.status).toBe("FAILED");
  });

  it.each(["failed", "timed-out"])("the patch command ends %s: recorded with the command", async (status) => {
    const execution = await run(complianceEvent(), { CheckPatch: () => ({ commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status, commandStatus: "Failed", checks: 1 }) });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "patch-failed" });
    expect((called(execution, "RecordOutcome")[0] as { state: { command: unknown } }).state.command).toMatchObject({ commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status });
  });

  it("the command cannot be sent: recorded as patch-failed", async () => {
    const execution = await run(complianceEvent(), { SendPatchCommand: () => Promise.reject(taskError("InvalidInstanceId", "the instance is not managed by SSM")) });
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
    const execution = await run(complianceEvent(), { RecordOutcome: () => Promise.reject(taskError("ResourceNotFoundException")), ReportUnrecordedOutcome: () => ({ MessageId: "m-1" }) });
    expect(execution).toMatchObject({ status: "FAILED", error: "OutcomeNotRecorded" });
    const [publish] = called(execution, "ReportUnrecordedOutcome") as { TopicArn: string; Message: string }[];
    expect(publish!.TopicArn).toBe("arn:aws:sns:us-east-1:100000000001:patchline-notifications");
    expect(publish!.Message).toContain("instance i-0abc123def4567890 (account 400000000002, region eu-west-1) ended with outcome patched");
  });
});

describe("throttling", () => {
  it("member calls retried after TransientAwsError and Lambda throttling, then the run succeeds", async () => {
    const execution = await run(complianceEvent(), {
      LookUpInstance: (_input, call) => (call === 1 ? Promise.reject(taskError("TransientAwsError", "ec2 DescribeInstances: Request limit exceeded.")) : happyPath.LookUpInstance!(_input, call)),
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
