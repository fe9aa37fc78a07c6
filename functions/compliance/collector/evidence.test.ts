import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  DescribeInstanceInformationCommand,
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  DescribeMaintenanceWindowExecutionsCommand,
  DescribeMaintenanceWindowExecutionTaskInvocationsCommand,
  DescribeMaintenanceWindowExecutionTasksCommand,
  DescribeMaintenanceWindowsCommand,
  ListComplianceSummariesCommand,
  ListResourceComplianceSummariesCommand,
} from "@aws-sdk/client-ssm";
import { DescribeTagsCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { Target, TargetResult } from "../../../contracts/compliance-model.js";
import { parseEvidencePart, type EvidencePart } from "../../../contracts/evidence.js";
import { FakeEvidenceAccount, type FakeEvidenceInstance, type FakeExecution, type FakeWindow } from "../../../test/support/fake-evidence-account.js";
import { operationOf } from "./evidence-records.js";
import type { CollectorInput } from "./run.js";
import { collectorRun } from "../../../test/support/collector-run.js";

const runId = "20270111T070000Z-1a2b3c4d";
const now = new Date("2027-01-11T07:00:05Z");
const { ssm, ec2, s3, collect, puts: written } = collectorRun(now);
const target: Target = { accountId: "300000000002", accountName: "web-preprod", environment: "preprod", region: "eu-west-1", source: "config" };
const input: CollectorInput = {
  runId,
  target,
  roleArn: "arn:aws:iam::300000000002:role/patchline-compliance-reader",
  coverageRules: [],
  ownerTagKey: "Owner",
  patchGroupTagKey: "Patch Group",
  evidence: { windowNames: ["preprod-weekly"] },
};
const partKey = `runs/${runId}/evidence/preprod/300000000002/eu-west-1.json`;

const awsError = (name: string, message = name, httpStatusCode = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
const id = (n: number) => `i-0${n.toString(16).padStart(16, "0")}`;
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

function instance(n: number, extra: Partial<FakeEvidenceInstance> = {}): FakeEvidenceInstance {
  return { id: id(n), compliant: true, patchGroup: "web-preprod", ...extra };
}

/** Answers every read call of the collector, compliance and evidence, from one fake account. */
function serve(account: FakeEvidenceAccount): void {
  ssm.on(ListComplianceSummariesCommand).callsFake((i) => account.listComplianceSummaries(i));
  ssm.on(ListResourceComplianceSummariesCommand).callsFake((i) => account.listResourceComplianceSummaries(i));
  ssm.on(DescribeInstancePatchStatesCommand).callsFake((i) => account.describeInstancePatchStates(i));
  ec2.on(DescribeTagsCommand).callsFake((i) => account.describeTags(i));
  ssm.on(DescribeInstanceInformationCommand).callsFake((i) => account.describeInstanceInformation(i));
  ssm.on(DescribeInstancePatchesCommand).callsFake((i) => account.describeInstancePatches(i));
  ssm.on(DescribeMaintenanceWindowsCommand).callsFake((i) => account.describeMaintenanceWindows(i));
  ssm.on(DescribeMaintenanceWindowExecutionsCommand).callsFake((i) => account.describeMaintenanceWindowExecutions(i));
  ssm.on(DescribeMaintenanceWindowExecutionTasksCommand).callsFake((i) => account.describeMaintenanceWindowExecutionTasks(i));
  ssm.on(DescribeMaintenanceWindowExecutionTaskInvocationsCommand).callsFake((i) => account.describeMaintenanceWindowExecutionTaskInvocations(i));
}

async function run(extra: Partial<CollectorInput> = {}) {
  const output = await collect({ ...input, ...extra });
  const puts = new Map(written().map((put) => [put.Key!, JSON.parse(String(put.Body)) as unknown]));
  const part = puts.has(partKey) ? parseEvidencePart(puts.get(partKey), partKey) : undefined;
  return { output, part, result: puts.get(`runs/${runId}/targets/preprod/300000000002/eu-west-1.json`) as TargetResult };
}

describe("collecting the evidence of one account and region", () => {
  it("keeps every managed instance with its platform and patch state, and only the patches of the evidence states, times as ISO 8601", async () => {
    serve(
      new FakeEvidenceAccount([
        instance(1, {
          platform: { type: "Windows", name: "Microsoft Windows Server 2022 Datacenter", version: "10.0.20348" },
          patches: [
            { KBId: "KB5034441", State: "Installed", InstalledTime: new Date("2027-01-05T03:00:00Z"), CVEIds: "CVE-2024-20666" },
            { KBId: "KB5034439", State: "Missing" },
            { KBId: "KB890830", State: "NotApplicable" },
            { KBId: "KB4052623", State: "InstalledOther" },
            { KBId: "KB5035845", State: "Failed" },
          ],
        }),
        // the SDK's model spells states in upper snake case; the evidence spells them as AWS's guide does
        instance(2, {
          patches: [
            { KBId: "openssl.x86_64", State: "INSTALLED_PENDING_REBOOT", InstalledTime: new Date("2027-01-06T03:00:00Z") },
            { KBId: "kernel.x86_64", State: "INSTALLED_REJECTED" },
            { KBId: "curl.x86_64", State: "AVAILABLE_SECURITY_UPDATE" },
          ],
        }),
        // never scanned: no patch state, and its patches are not asked for
        instance(3, { scanned: false }),
      ]),
    );
    const { output, part } = await run();
    expect(output.evidenceKey).toBe(partKey);
    expect(part!.target).toEqual({ accountId: "300000000002", accountName: "web-preprod", region: "eu-west-1", status: "ok", instances: 3 });
    expect(part!.collectedAt).toBe("2027-01-11T07:00:05.000Z");
    expect(part!.windowExecutionsSince).toBe("2026-12-07T07:00:05.000Z");
    expect(part!.instances[0]).toEqual({
      accountId: "300000000002",
      accountName: "web-preprod",
      region: "eu-west-1",
      InstanceId: id(1),
      PlatformType: "Windows",
      PlatformName: "Microsoft Windows Server 2022 Datacenter",
      PlatformVersion: "10.0.20348",
      PatchGroup: "web-preprod",
      BaselineId: "pb-0123456789abcdef0",
      Operation: "Scan",
      OperationEndTime: "2027-01-10T09:05:00.000Z",
      Patches: [
        {
          Title: "KB5034441",
          KBId: "KB5034441",
          Classification: "SecurityUpdates",
          Severity: "Important",
          State: "Installed",
          InstalledTime: "2027-01-05T03:00:00.000Z",
          CVEIds: "CVE-2024-20666",
        },
        {
          Title: "KB5034439",
          KBId: "KB5034439",
          Classification: "SecurityUpdates",
          Severity: "Important",
          State: "Missing",
          InstalledTime: "1970-01-01T00:00:00.000Z",
        },
        {
          Title: "KB5035845",
          KBId: "KB5035845",
          Classification: "SecurityUpdates",
          Severity: "Important",
          State: "Failed",
          InstalledTime: "1970-01-01T00:00:00.000Z",
        },
      ],
    });
    expect(part!.instances[1]!.Patches.map((p) => [p.KBId, p.State])).toEqual([
      ["openssl.x86_64", "InstalledPendingReboot"],
      ["kernel.x86_64", "InstalledRejected"],
    ]);
    expect(part!.instances[2]).toMatchObject({ InstanceId: id(3), Patches: [] });
    expect(part!.instances[2]!.BaselineId).toBeUndefined();
    expect(ssm.commandCalls(DescribeInstancePatchesCommand).map((c) => c.args[0].input.InstanceId)).toEqual([id(1), id(2)]);
  });

  it("pages through instances 50 at a time, asks for patch states 50 instances a call and for each instance's patches 100 a page", async () => {
    const many = Array.from({ length: 120 }, (_, n) =>
      instance(n, {
        patches: n === 7 ? Array.from({ length: 250 }, (_, p) => ({ KBId: `pkg${p}.x86_64`, State: p % 2 ? "Installed" : "NotApplicable" })) : [],
      }),
    );
    serve(new FakeEvidenceAccount(many));
    const { part } = await run();
    const information = ssm.commandCalls(DescribeInstanceInformationCommand).map((c) => c.args[0].input);
    expect(information.map((i) => i.MaxResults)).toEqual([50, 50, 50]);
    // every instance is compliant: all patch state calls are the evidence's
    const batches = ssm.commandCalls(DescribeInstancePatchStatesCommand).map((c) => c.args[0].input.InstanceIds!);
    expect(batches.map((ids) => ids.length)).toEqual([50, 50, 20]);
    expect(new Set(batches.flat()).size).toBe(120);
    const patchCalls = ssm.commandCalls(DescribeInstancePatchesCommand).map((c) => c.args[0].input);
    expect(patchCalls).toHaveLength(119 + 3);
    expect(patchCalls.every((i) => i.MaxResults === 100 && i.Filters === undefined)).toBe(true);
    expect(part!.instances).toHaveLength(120);
    expect(part!.instances.find((i) => i.InstanceId === id(7))!.Patches).toHaveLength(125);
  });

  it("keeps an instance deregistered between the calls, without patches", async () => {
    serve(new FakeEvidenceAccount([instance(1, { gone: true }), instance(2, { patches: [{ KBId: "KB1", State: "Installed" }] })]));
    const { part } = await run();
    expect(part!.instances.map((i) => [i.InstanceId, i.Patches.length])).toEqual([
      [id(1), 0],
      [id(2), 1],
    ]);
  });

  it("reads nothing of evidence for an environment no other is promoted from", async () => {
    serve(new FakeEvidenceAccount([instance(1)]));
    const { output, part } = await run({ evidence: undefined });
    expect(part).toBeUndefined();
    expect(output).not.toHaveProperty("evidenceKey");
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(0);
    expect(ssm.commandCalls(DescribeMaintenanceWindowsCommand)).toHaveLength(0);
  });
});

describe("the window executions in the evidence", () => {
  const task = (n: number, status: string, operation: string, invocations: FakeExecution["tasks"][number]["invocations"] = []) => ({
    id: uuid(n),
    taskArn: "AWS-RunPatchBaseline",
    status,
    operation,
    invocations,
  });
  const weekly: FakeWindow = {
    id: "mw-0123456789abcdef0",
    name: "preprod-weekly",
    executions: [
      { id: uuid(100), status: "SUCCESS", start: daysAgo(40), tasks: [task(101, "SUCCESS", "Scan")] },
      { id: uuid(200), status: "SUCCESS", start: daysAgo(10), end: daysAgo(9.9), tasks: [task(201, "SUCCESS", "Scan"), task(202, "SUCCESS", "Install")] },
      {
        id: uuid(300),
        status: "FAILED",
        start: daysAgo(3),
        end: daysAgo(2.9),
        tasks: [
          task(301, "SUCCESS", "Scan"),
          task(
            302,
            "FAILED",
            "Install",
            Array.from({ length: 120 }, (_, n) => ({
              id: uuid(1000 + n),
              status: n === 5 ? "FAILED" : n === 64 ? "TIMED_OUT" : "SUCCESS",
              commandId: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
              details: n === 5 ? "Failed" : undefined,
            })),
          ),
        ],
      },
    ],
  };
  // another environment's window in the same account: never read
  const other: FakeWindow = {
    id: "mw-0fedcba9876543210",
    name: "sandbox-nightly",
    executions: [{ id: uuid(900), status: "FAILED", start: daysAgo(1), tasks: [] }],
  };

  it("reads the environment's windows by name, their executions since the lookback, and the invocations of tasks that did not succeed", async () => {
    serve(new FakeEvidenceAccount([instance(1)], [weekly, other]));
    const { part } = await run();
    expect(ssm.commandCalls(DescribeMaintenanceWindowsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Key: "Name", Values: ["preprod-weekly"] }],
      MaxResults: 100,
    });
    const executions = ssm.commandCalls(DescribeMaintenanceWindowExecutionsCommand).map((c) => c.args[0].input);
    expect(executions).toEqual([{ WindowId: weekly.id, Filters: [{ Key: "ExecutedAfter", Values: ["2026-12-07T07:00:05Z"] }], MaxResults: 100 }]);
    // the succeeded execution's tasks are listed, their invocations are not read
    expect(ssm.commandCalls(DescribeMaintenanceWindowExecutionTasksCommand).map((c) => c.args[0].input.WindowExecutionId)).toEqual([uuid(300), uuid(200)]);
    const invocations = ssm.commandCalls(DescribeMaintenanceWindowExecutionTaskInvocationsCommand).map((c) => c.args[0].input);
    expect(invocations.map((i) => [i.WindowExecutionId, i.TaskId, i.MaxResults])).toEqual([
      [uuid(300), uuid(302), 100],
      [uuid(300), uuid(302), 100],
    ]);
    expect(part!.windowExecutions.map((e) => [e.windowName, e.WindowExecutionId, e.Status])).toEqual([
      ["preprod-weekly", uuid(200), "SUCCESS"],
      ["preprod-weekly", uuid(300), "FAILED"],
    ]);
    const failed = part!.windowExecutions[1]!;
    expect(failed).toMatchObject({ accountId: "300000000002", region: "eu-west-1", WindowId: weekly.id, StartTime: daysAgo(3).toISOString() });
    expect(failed.tasks[0]).toEqual({ TaskExecutionId: uuid(301), TaskArn: "AWS-RunPatchBaseline", Status: "SUCCESS", failedInvocations: [] });
    expect(failed.tasks[1]).toMatchObject({ TaskExecutionId: uuid(302), operation: "Install", Status: "FAILED" });
    expect(failed.tasks[1]!.failedInvocations).toEqual([
      {
        InvocationId: uuid(1005),
        ExecutionId: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        Status: "FAILED",
        StatusDetails: "Failed",
        StartTime: daysAgo(3).toISOString(),
        EndTime: daysAgo(2.9).toISOString(),
      },
      expect.objectContaining({ InvocationId: uuid(1064), Status: "TIMED_OUT" }),
    ]);
  });

  it("reads no windows for an environment without any", async () => {
    serve(new FakeEvidenceAccount([instance(1)], [weekly]));
    const { part } = await run({ evidence: { windowNames: [] } });
    expect(ssm.commandCalls(DescribeMaintenanceWindowsCommand)).toHaveLength(0);
    expect(part!.windowExecutions).toEqual([]);
  });
});

describe("evidence that cannot be read", () => {
  it("keeps the compliance result of a member whose reader role predates evidence, and records the evidence as unreachable with the reason", async () => {
    serve(new FakeEvidenceAccount([instance(1)]));
    ssm.on(DescribeInstanceInformationCommand).rejects(awsError("AccessDeniedException", "not authorized to perform: ssm:DescribeInstanceInformation"));
    const { output, part, result } = await run();
    expect(output.status).toBe("ok");
    expect(output.evidenceKey).toBe(partKey);
    expect(part).toEqual<EvidencePart>({
      target: {
        accountId: "300000000002",
        accountName: "web-preprod",
        region: "eu-west-1",
        status: "unreachable",
        reason: "DescribeInstanceInformation: access denied (AccessDeniedException)",
        instances: 0,
      },
      instances: [],
      windowExecutions: [],
      collectedAt: "2027-01-11T07:00:05.000Z",
      windowExecutionsSince: "2026-12-07T07:00:05.000Z",
    });
    expect(result.warnings).toContain("evidence not collected: DescribeInstanceInformation: access denied (AccessDeniedException)");
  });

  it("writes no part for a region the account has not enabled: the report lists the target as unreachable", async () => {
    serve(new FakeEvidenceAccount([instance(1)]));
    ssm.on(ListComplianceSummariesCommand).rejects(awsError("UnrecognizedClientException", "The security token included in the request is invalid."));
    const { output, part, result } = await run();
    expect(result.status).toBe("unreachable");
    expect(part).toBeUndefined();
    expect(output).not.toHaveProperty("evidenceKey");
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(0);
  });

  it("hands throttling of an evidence call to the state machine as TargetThrottled, writing nothing", async () => {
    serve(new FakeEvidenceAccount([instance(1, { patches: [{ KBId: "KB1", State: "Installed" }] })]));
    ssm.on(DescribeInstancePatchesCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    await expect(run()).rejects.toMatchObject({ name: "TargetThrottled" });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("fails loudly on a request AWS would reject, writing nothing", async () => {
    serve(new FakeEvidenceAccount([instance(1)], [{ id: "mw-0123456789abcdef0", name: "preprod-weekly", executions: [] }]));
    // a window id that is not one: the fake rejects it as the API does
    ssm.on(DescribeMaintenanceWindowsCommand).resolves({ WindowIdentities: [{ WindowId: "mw-1", Name: "preprod-weekly" }] });
    await expect(run()).rejects.toMatchObject({ name: "CollectionStepFailed", step: "DescribeMaintenanceWindowExecutions" });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe("reading AWS's answers", () => {
  it("reads the Operation a Run Command task ran with from an invocation's parameters", () => {
    expect(operationOf('{"documentName":"AWS-RunPatchBaseline","parameters":{"Operation":["Install"],"RebootOption":["RebootIfNeeded"]}}')).toBe("Install");
    expect(operationOf('{"documentName":"AWS-RunShellScript","parameters":{"commands":["df"]}}')).toBeUndefined();
    expect(operationOf("not json")).toBeUndefined();
    expect(operationOf(undefined)).toBeUndefined();
  });
});
