import { ListCommandInvocationsCommand, ListCommandsCommand, SendCommandCommand, SSMClient, type CommandInvocationStatus } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { PatchingSettings } from "../../../contracts/emergency-patch.js";
import { recordingLog } from "../../../test/support/approval-fakes.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { RUN_ID } from "../../../test/support/emergency.js";
import { checkCommands, checkInput } from "./check.js";
import { memberSsm } from "./member.js";
import { CommandNotSent, sendCommands, sendInput, type CommandsDeps } from "./send.js";

const ssm = mockClient(SSMClient);
const sts = mockClient(STSClient);
const clock = new Date("2027-03-04T08:05:00.000Z");
const target = { accountId: "400000000002", accountName: "web-prod", region: "eu-west-1" };
const hooks = {
  window: "prod-monthly",
  patchGroups: ["web-prod", "app-prod"],
  document: "AWS-RunPatchBaselineWithHooks" as const,
  parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"], PreInstallHookDocName: ["patchline-record-running-services"] },
  maxConcurrency: "10%",
  maxErrors: "1",
};
const plain = {
  ...hooks,
  window: "prod-data",
  patchGroups: ["data-prod"],
  document: "AWS-RunPatchBaseline" as const,
  parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] },
};
const patching: PatchingSettings = {
  runId: RUN_ID,
  startedAt: "2027-03-04T08:00:00.123Z",
  environment: "prod",
  patchGroupTagKey: "Patch Group",
  timeoutMinutes: 120,
  commands: [hooks, plain],
};

const deps = (now = clock): CommandsDeps => ({
  ssm: async (_account, region) => new SSMClient({ region }),
  output: {
    bucket: "patchline-logs-100000000001-us-east-1",
    bucketRegion: "us-east-1",
    keyPrefixTemplate: "run-command/{environment}/{account}/{region}",
    logGroup: "/patchline/run-command",
  },
  now: () => now,
  log: recordingLog(),
});
const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, $metadata: {}, ...extra });
const send = () => sendCommands(sendInput.parse({ action: "send", target, patching }), deps());

beforeEach(() => {
  ssm.reset();
  sts.reset();
});

describe("sending an emergency run's commands", () => {
  it("sends each window's command to the instances its install target selects, with its rate control, output where the windows put theirs", async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [] });
    ssm
      .on(SendCommandCommand)
      .resolvesOnce({ Command: { CommandId: "c-hooks" } })
      .resolvesOnce({ Command: { CommandId: "c-plain" } });
    await expect(send()).resolves.toEqual({
      status: "in-progress",
      commands: [
        { window: "prod-monthly", commandId: "c-hooks" },
        { window: "prod-data", commandId: "c-plain" },
      ],
      waitUntil: "2027-03-04T10:05:00.000Z",
      nextCheckSeconds: 60,
      checks: 0,
    });
    const sent = ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input);
    expect(sent[0]).toEqual({
      DocumentName: "AWS-RunPatchBaselineWithHooks",
      Targets: [
        { Key: "tag:Patch Group", Values: ["web-prod", "app-prod"] },
        { Key: "tag:patch-policy", Values: ["patch-on-schedule"] },
      ],
      Parameters: hooks.parameters,
      MaxConcurrency: "10%",
      MaxErrors: "1",
      Comment: `patchline-emergency ${RUN_ID}`,
      TimeoutSeconds: 3600,
      OutputS3BucketName: "patchline-logs-100000000001-us-east-1",
      OutputS3Region: "us-east-1",
      OutputS3KeyPrefix: `run-command/prod/400000000002/eu-west-1/emergency/${RUN_ID}`,
      CloudWatchOutputConfig: { CloudWatchLogGroupName: "/patchline/run-command", CloudWatchOutputEnabled: true },
    });
    expect(sent[1]).toMatchObject({ DocumentName: "AWS-RunPatchBaseline", Targets: [{ Key: "tag:Patch Group", Values: ["data-prod"] }, expect.anything()] });
    for (const input of sent) expect(requestProblems("ssm", "SendCommand", input)).toEqual([]);
    const listed = ssm.commandCalls(ListCommandsCommand)[0]!.args[0].input;
    expect(listed).toEqual({ Filters: [{ key: "InvokedAfter", value: "2027-03-04T08:00:00Z" }], MaxResults: 50 });
    expect(requestProblems("ssm", "ListCommands", listed)).toEqual([]);
  });

  it("does not send again what this run already sent there (a retried step), matched by comment and targets", async () => {
    ssm.on(ListCommandsCommand).resolves({
      Commands: [
        {
          CommandId: "c-hooks",
          Comment: `patchline-emergency ${RUN_ID}`,
          Targets: [
            { Key: "tag:patch-policy", Values: ["patch-on-schedule"] },
            { Key: "tag:Patch Group", Values: ["app-prod", "web-prod"] },
          ],
        },
        // another run's command with the same targets is not this run's
        { CommandId: "other", Comment: "patchline-emergency prod-20270304T070000Z-9f9f", Targets: [{ Key: "tag:Patch Group", Values: ["data-prod"] }] },
      ],
    });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "c-plain" } });
    expect((await send()).commands).toEqual([
      { window: "prod-monthly", commandId: "c-hooks" },
      { window: "prod-data", commandId: "c-plain" },
    ]);
    expect(ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input.DocumentName)).toEqual(["AWS-RunPatchBaseline"]);
  });

  it("a refused command is CommandNotSent, naming what was sent before it", async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [] });
    ssm
      .on(SendCommandCommand)
      .resolvesOnce({ Command: { CommandId: "c-hooks" } })
      .rejects(sdkError("InvalidParameters", { message: "InstallOverrideList is not a parameter of the document" }));
    await expect(send()).rejects.toThrow(
      new CommandNotSent(
        "ssm SendCommand of window prod-data refused in 400000000002/eu-west-1: InvalidParameters: InstallOverrideList is not a parameter of the document; already sent and running: c-hooks (prod-monthly)",
      ),
    );
  });

  it("throttling is TransientAwsError (the state machine retries, and the retry finds what was sent)", async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [] });
    ssm.on(SendCommandCommand).rejects(sdkError("ThrottlingException"));
    await expect(send()).rejects.toMatchObject({ name: "TransientAwsError" });
  });

  it("refuses a command patchline would not send, and sends nothing", async () => {
    const tampered = { ...patching, commands: [{ ...plain, document: "AWS-RunShellScript", parameters: { commands: ["curl"] } }] };
    await expect(sendCommands({ action: "send", target, patching: tampered as PatchingSettings }, deps())).rejects.toThrow(/is not a command patchline sends/);
    expect(ssm.commandCalls(SendCommandCommand)).toEqual([]);
  });
});

describe("following an emergency run's commands", () => {
  const progress = {
    commands: [
      { window: "prod-monthly", commandId: "c-hooks" },
      { window: "prod-data", commandId: "c-plain" },
    ],
    waitUntil: "2027-03-04T10:00:00.000Z",
    checks: 1,
  };
  const check = (now = clock) => checkCommands(checkInput.parse({ action: "check", target, patching, progress }), deps(now));
  const invocations = (...statuses: CommandInvocationStatus[]) => statuses.map((Status, i) => ({ InstanceId: `i-0${i}aaaaaaaaaaaaaaa`, Status }));

  it("waits while a command runs, with backoff", async () => {
    ssm.on(ListCommandsCommand, { CommandId: "c-hooks" }).resolves({ Commands: [{ CommandId: "c-hooks", Status: "InProgress", TargetCount: 4 }] });
    ssm.on(ListCommandsCommand, { CommandId: "c-plain" }).resolves({ Commands: [{ CommandId: "c-plain", Status: "Success", TargetCount: 1 }] });
    await expect(check()).resolves.toEqual({
      status: "in-progress",
      commands: progress.commands,
      waitUntil: progress.waitUntil,
      nextCheckSeconds: 240,
      checks: 2,
    });
    expect(ssm.commandCalls(ListCommandInvocationsCommand)).toEqual([]);
    for (const call of ssm.commandCalls(ListCommandsCommand)) expect(requestProblems("ssm", "ListCommands", call.args[0].input)).toEqual([]);
  });

  it("counts every targeted instance once the commands ended: invocations by status, page by page, and targets a command never sent to", async () => {
    ssm.on(ListCommandsCommand, { CommandId: "c-hooks" }).resolves({ Commands: [{ Status: "Failed", TargetCount: 5 }] });
    ssm.on(ListCommandsCommand, { CommandId: "c-plain" }).resolves({ Commands: [{ Status: "Success", TargetCount: 1 }] });
    ssm
      .on(ListCommandInvocationsCommand, { CommandId: "c-hooks" })
      .resolvesOnce({ CommandInvocations: invocations("Success", "Failed"), NextToken: "page-2" })
      .resolvesOnce({ CommandInvocations: invocations("Success") });
    ssm.on(ListCommandInvocationsCommand, { CommandId: "c-plain" }).resolves({ CommandInvocations: invocations("Success") });
    const ended = await check();
    expect(ended).toEqual({
      status: "completed",
      commands: progress.commands,
      // c-hooks stopped at its MaxErrors: 2 of its 5 targets got no invocation
      invocations: { targeted: 6, succeeded: 3, failed: 3, byStatus: { Success: 3, Failed: 1, NotSent: 2 } },
      failedInstances: [{ instanceId: "i-01aaaaaaaaaaaaaaa", status: "Failed", window: "prod-monthly" }],
    });
    const listed = ssm.commandCalls(ListCommandInvocationsCommand).map((c) => c.args[0].input);
    expect(listed[1]).toMatchObject({ CommandId: "c-hooks", NextToken: "page-2", MaxResults: 50 });
    for (const input of listed) expect(requestProblems("ssm", "ListCommandInvocations", input)).toEqual([]);
  });

  it("at the deadline, counts what has not finished as failed and says the commands timed out (they run on)", async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [{ Status: "InProgress", TargetCount: 2 }] });
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: invocations("Success", "InProgress") });
    await expect(check(new Date("2027-03-04T10:00:00.000Z"))).resolves.toMatchObject({
      status: "timed-out",
      invocations: { targeted: 4, succeeded: 2, failed: 2, byStatus: { Success: 2, InProgress: 2 } },
    });
  });

  it("a command Systems Manager does not list is an error, not a success", async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [] });
    await expect(check()).rejects.toThrow("ssm ListCommands does not know command c-hooks (window prod-monthly)");
  });
});

describe("reaching the member account", () => {
  const access = () =>
    memberSsm({ roleName: "patchline-emergency-patch", sts: new STSClient({ region: "us-east-1" }), sessionName: "patchline-emergency-patch" });
  const credentials = { AccessKeyId: "AKIA", SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(Date.now() + 900_000) };

  it("assumes the account's emergency patch role once per session and builds a client of the target's region", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
    const connect = access();
    const client = await connect("400000000002", "eu-west-1");
    await connect("400000000002", "us-east-1");
    expect(await client.config.region()).toBe("eu-west-1");
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: "arn:aws:iam::400000000002:role/patchline-emergency-patch", RoleSessionName: "patchline-emergency-patch", DurationSeconds: 900 },
    ]);
  });

  it("a role STS refuses to hand out is TargetUnreachable; STS throttling is TransientAwsError", async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(sdkError("AccessDenied", { message: "not authorized" }))
      .rejects(sdkError("Throttling"));
    await expect(access()("400000000009", "us-east-1")).rejects.toMatchObject({
      name: "TargetUnreachable",
      message: expect.stringContaining("cannot assume arn:aws:iam::400000000009:role/patchline-emergency-patch (AccessDenied: not authorized)"),
    });
    await expect(access()("400000000009", "us-east-1")).rejects.toMatchObject({ name: "TransientAwsError" });
  });

  it("builds a role ARN from account ids only", async () => {
    await expect(access()("4000000000*", "us-east-1")).rejects.toThrow('not an AWS account id: "4000000000*"');
  });
});
