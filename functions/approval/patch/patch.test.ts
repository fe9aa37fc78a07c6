import { DescribeInstancePatchStatesCommand, GetCommandInvocationCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { recordingLog } from "../../../test/support/approval-fakes.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { checkCommand, readPatchState, sendCommand, type PatchDeps } from "./patch.js";

const ssm = mockClient(SSMClient);
const target = { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890" };
const clock = new Date("2027-03-04T08:00:00.000Z");
const COMMAND = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

const deps: PatchDeps = {
  ssm: (_account, region) => new SSMClient({ region }),
  output: {
    bucket: "patchline-logs-100000000001-us-east-1",
    bucketRegion: "us-east-1",
    keyPrefixTemplate: "run-command/{environment}/{account}/{region}",
    logGroup: "/patchline/run-command",
  },
  now: () => clock,
  log: recordingLog(),
};

const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, $metadata: {}, ...extra });

beforeEach(() => ssm.reset());

describe("readPatchState", () => {
  it("summarizes SSM's patch state of the instance", async () => {
    ssm.on(DescribeInstancePatchStatesCommand, { InstanceIds: [target.instanceId] }).resolves({
      InstancePatchStates: [
        {
          InstanceId: target.instanceId,
          PatchGroup: "web-prod",
          BaselineId: "pb-1",
          MissingCount: 4,
          FailedCount: 1,
          InstalledPendingRebootCount: 2,
          CriticalNonCompliantCount: 1,
          SecurityNonCompliantCount: 3,
          OtherNonCompliantCount: 0,
          Operation: "Scan",
          OperationStartTime: new Date("2027-03-03T21:00:00Z"),
          OperationEndTime: new Date("2027-03-03T21:05:00Z"),
        },
      ],
    });
    await expect(readPatchState({ action: "readPatchState", ...target }, deps)).resolves.toEqual({
      urgent: true,
      urgency: "every non-compliance asks (the environment has no approval.trigger)",
      missingCount: 4,
      failedCount: 1,
      installedPendingRebootCount: 2,
      criticalNonCompliantCount: 1,
      securityNonCompliantCount: 3,
      otherNonCompliantCount: 0,
      baselineId: "pb-1",
      patchGroup: "web-prod",
      lastOperation: "Scan",
      lastOperationEndTime: "2027-03-03T21:05:00.000Z",
    });
  });

  it("fails clearly for an instance SSM has not scanned", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves({ InstancePatchStates: [] });
    await expect(readPatchState({ action: "readPatchState", ...target }, deps)).rejects.toThrow(
      "SSM has no patch state for i-0abc123def4567890 in 400000000002/eu-west-1; it has not been scanned yet",
    );
  });

  it("SSM throttling (modelled or generic) surfaces as TransientAwsError", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).rejects(sdkError("ThrottlingException", { message: "Rate exceeded" }));
    await expect(readPatchState({ action: "readPatchState", ...target }, deps)).rejects.toMatchObject({ name: "TransientAwsError" });
  });
});

describe("sendCommand", () => {
  const send = { action: "sendCommand" as const, ...target, environment: "prod", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", timeoutMinutes: 240 };

  it("runs the window's command (AWS-RunPatchBaseline Install, its reboot option), output where the maintenance windows put theirs", async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND, Status: "Pending" } });
    const patchCommand = { window: "dev-weekly", document: "AWS-RunPatchBaseline", parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] } };
    const progress = await sendCommand({ ...send, patchCommand }, deps);
    expect(progress).toEqual({
      commandId: COMMAND,
      status: "in-progress",
      commandStatus: "Pending",
      waitUntil: "2027-03-04T12:00:00.000Z",
      nextCheckSeconds: 60,
      checks: 0,
    });
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      DocumentName: "AWS-RunPatchBaseline",
      InstanceIds: [target.instanceId],
      Parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] },
      Comment: "patchline-approval Yq3Yw8n1Zq5d0xJ2r6u9Aw",
      OutputS3BucketName: "patchline-logs-100000000001-us-east-1",
      OutputS3Region: "us-east-1",
      OutputS3KeyPrefix: "run-command/prod/400000000002/eu-west-1/approval/Yq3Yw8n1Zq5d0xJ2r6u9Aw",
      CloudWatchOutputConfig: { CloudWatchLogGroupName: "/patchline/run-command", CloudWatchOutputEnabled: true },
    });
    expect(requestProblems("ssm", "SendCommand", ssm.commandCalls(SendCommandCommand)[0]!.args[0].input)).toEqual([]);
  });

  it("runs AWS-RunPatchBaselineWithHooks with the window's hook documents", async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND, Status: "Pending" } });
    const parameters = {
      Operation: ["Install"],
      RebootOption: ["RebootIfNeeded"],
      PreInstallHookDocName: ["patchline-record-running-services"],
      PostInstallHookDocName: ["patchline-verify-services"],
      OnExitHookDocName: ["patchline-verify-services"],
    };
    await sendCommand({ ...send, patchCommand: { window: "prod-monthly", document: "AWS-RunPatchBaselineWithHooks", parameters } }, deps);
    const input = ssm.commandCalls(SendCommandCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ DocumentName: "AWS-RunPatchBaselineWithHooks", Parameters: parameters, InstanceIds: [target.instanceId] });
    expect(requestProblems("ssm", "SendCommand", input)).toEqual([]);
  });

  it.each([
    ["another document", { document: "AWS-RunShellScript", parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] } }, "AWS-RunShellScript"],
    ["a scan", { document: "AWS-RunPatchBaseline", parameters: { Operation: ["Scan"], RebootOption: ["NoReboot"] } }, 'Operation ["Scan"]'],
    [
      "an unknown parameter",
      { document: "AWS-RunPatchBaseline", parameters: { Operation: ["Install"], RebootOption: ["NoReboot"], commands: ["rm"] } },
      '"commands"',
    ],
    [
      "hooks without the hooks document",
      { document: "AWS-RunPatchBaseline", parameters: { Operation: ["Install"], RebootOption: ["NoReboot"], PreInstallHookDocName: ["x-hook"] } },
      "PreInstallHookDocName needs AWS-RunPatchBaselineWithHooks",
    ],
  ])("refuses %s and sends nothing", async (_what, command, problem) => {
    await expect(sendCommand({ ...send, patchCommand: { window: "w", ...command } }, deps)).rejects.toThrow(problem);
    expect(ssm.commandCalls(SendCommandCommand)).toEqual([]);
  });
});

describe("checkCommand", () => {
  const input = { action: "checkCommand" as const, ...target, commandId: COMMAND, waitUntil: "2027-03-04T12:00:00.000Z", checks: 1 };

  it.each([
    ["Success", {}, { status: "succeeded", commandStatus: "Success" }],
    ["InProgress", {}, { status: "in-progress", commandStatus: "InProgress", nextCheckSeconds: 240 }],
    ["Delayed", {}, { status: "in-progress" }],
    [
      "Failed",
      { StatusDetails: "Failed", StandardErrorContent: "yum: no space left on device\n" },
      { status: "failed", statusDetails: "Failed", errorExcerpt: "yum: no space left on device" },
    ],
    ["TimedOut", { StatusDetails: "DeliveryTimedOut" }, { status: "failed", statusDetails: "DeliveryTimedOut" }],
    ["Cancelled", { StatusDetails: "Cancelled" }, { status: "failed" }],
  ])("%s", async (status, extra, expected) => {
    ssm.on(GetCommandInvocationCommand, { CommandId: COMMAND, InstanceId: target.instanceId }).resolves({ Status: status as "Success", ...extra });
    await expect(checkCommand(input, deps)).resolves.toMatchObject({ commandId: COMMAND, checks: 2, ...expected });
  });

  it("still running at the patch deadline: timed out", async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: "InProgress" });
    await expect(checkCommand({ ...input, waitUntil: "2027-03-04T07:59:00.000Z" }, deps)).resolves.toMatchObject({
      status: "timed-out",
      commandStatus: "InProgress",
    });
  });

  it("an invocation not visible right after sending is pending; later it is an error", async () => {
    ssm.on(GetCommandInvocationCommand).rejects(sdkError("InvocationDoesNotExist"));
    await expect(checkCommand({ ...input, checks: 0 }, deps)).resolves.toMatchObject({ status: "in-progress", commandStatus: "Pending" });
    await expect(checkCommand({ ...input, checks: 5 }, deps)).rejects.toMatchObject({ name: "InvocationDoesNotExist" });
  });
});
