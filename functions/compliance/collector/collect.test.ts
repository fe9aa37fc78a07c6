import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand } from "@aws-sdk/client-config-service";
import { DescribeTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeInstancePatchStatesCommand, ListComplianceSummariesCommand, ListResourceComplianceSummariesCommand, SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeMemberAccount, generateFleet, type FakeInstance } from "../../../test/support/fake-member-account.js";
import type { CoverageCheck, Target, TargetResult } from "../../../contracts/compliance-model.js";
import { complianceReadClients } from "../shared/member-access.js";
import { collectTarget, type CollectorInput } from "./run.js";

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const config = mockClient(ConfigServiceClient);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);

const target: Target = { accountId: "400000000002", accountName: "web-prod", environment: "prod", region: "eu-west-1", source: "config" };
const rules = new Map<string, CoverageCheck>([
  ["patchline-patch-group-tag", "patch-group-tag"],
  ["patchline-managed-by-ssm", "managed-by-ssm"],
]);
const input: CollectorInput = {
  runId: "20270111T070000Z-1a2b3c4d",
  target,
  roleArn: "arn:aws:iam::400000000002:role/patchline-compliance-reader",
  coverageRules: [...rules].map(([ruleName, check]) => ({ ruleName, check })),
  ownerTagKey: "Owner",
  patchGroupTagKey: "Patch Group",
};

/** An error as the SDK raises it for a service's answer. */
const awsError = (name: string, message = name, httpStatusCode = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

/** Answers every read call of the collector from a fake account. */
function serve(account: FakeMemberAccount): void {
  ssm.on(ListComplianceSummariesCommand).callsFake((i) => account.listComplianceSummaries(i));
  ssm.on(ListResourceComplianceSummariesCommand).callsFake((i) => account.listResourceComplianceSummaries(i));
  ssm.on(DescribeInstancePatchStatesCommand).callsFake((i) => account.describeInstancePatchStates(i));
  config.on(GetComplianceDetailsByConfigRuleCommand).callsFake((i) => account.getComplianceDetailsByConfigRule(i, rules));
  ec2.on(DescribeTagsCommand).callsFake((i) => account.describeTags(i));
}

async function run(extra: Partial<CollectorInput> = {}): Promise<{ output: Awaited<ReturnType<typeof collectTarget>>; result: TargetResult }> {
  const output = await collectTarget(
    {
      sts: new STSClient({ region: "us-east-1" }),
      s3: new S3Client({ region: "us-east-1" }),
      clientsFor: complianceReadClients,
      bucket: "patchline-reports",
      now: () => new Date("2027-01-11T07:00:05Z"),
    },
    { ...input, ...extra },
  );
  const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
  return { output, result: JSON.parse(String(put.Body)) as TargetResult };
}

beforeEach(() => {
  for (const mock of [ssm, ec2, config, sts, s3]) mock.reset();
  sts
    .on(AssumeRoleCommand)
    .resolves({ Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date("2027-01-11T08:00:00Z") } });
  s3.on(PutObjectCommand).resolves({});
});

describe("collecting one account and region", () => {
  it("assumes the member reader role with a session named after the run", async () => {
    serve(new FakeMemberAccount(generateFleet(4)));
    await run();
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: input.roleArn, RoleSessionName: "patchline-compliance-20270111T070000Z-1a2b3c4d" });
  });

  it("pages through every non-compliant summary, 50 at a time, filtered to patch compliance", async () => {
    serve(new FakeMemberAccount(generateFleet(1000, "i-0", { nonCompliantEvery: 4 }))); // 250 non-compliant
    const { output } = await run();
    const calls = ssm.commandCalls(ListResourceComplianceSummariesCommand);
    expect(calls).toHaveLength(5);
    expect(calls.every((c) => c.args[0].input.MaxResults === 50)).toBe(true);
    expect(calls[0]!.args[0].input.Filters).toEqual([
      { Key: "ComplianceType", Values: ["Patch"], Type: "EQUAL" },
      { Key: "Status", Values: ["NON_COMPLIANT"], Type: "EQUAL" },
    ]);
    expect(output.counts).toMatchObject({ managed: 1000, compliant: 750, nonCompliant: 250 });
  });

  it("asks for patch states in batches of at most 50 instances, and for tags in batches, never per instance", async () => {
    serve(new FakeMemberAccount(generateFleet(1000, "i-0", { nonCompliantEvery: 4 })));
    await run();
    const batches = ssm.commandCalls(DescribeInstancePatchStatesCommand).map((c) => c.args[0].input.InstanceIds!);
    expect(batches).toHaveLength(5);
    expect(batches.every((ids) => ids.length <= 50)).toBe(true);
    expect(new Set(batches.flat()).size).toBe(250);
    expect(ec2.commandCalls(DescribeTagsCommand)).toHaveLength(2); // 250 ids in batches of 200
  });

  it("reads the patch group from the organization's tag key: PatchGroup where tags are allowed in instance metadata", async () => {
    serve(
      new FakeMemberAccount([
        { id: "i-0cccccccccccccccc", compliant: false, severity: "HIGH", missing: 1, patchGroup: "web-prod", tags: { PatchGroup: "app-prod" } },
      ]),
    );
    const { result } = await run({ patchGroupTagKey: "PatchGroup" });
    const keys = ec2.commandCalls(DescribeTagsCommand)[0]!.args[0].input.Filters!.find((f) => f.Name === "key")!.Values;
    expect(keys).toContain("PatchGroup");
    expect(keys).not.toContain("Patch Group");
    expect(result.findings.map((f) => f.patchGroup)).toEqual(["app-prod"]);
  });

  it("detects instances pending a reboot and instances with failed patches", async () => {
    const instances: FakeInstance[] = [
      {
        id: "i-0aaaaaaaaaaaaaaaa",
        compliant: false,
        severity: "CRITICAL",
        missing: 3,
        critical: 2,
        security: 1,
        pendingReboot: 4,
        tags: { Name: "web-1", Owner: "web@example.com" },
      },
      { id: "i-0bbbbbbbbbbbbbbbb", compliant: false, severity: "HIGH", missing: 1, failed: 1 },
      { id: "i-0cccccccccccccccc", compliant: true },
    ];
    serve(new FakeMemberAccount(instances));
    const { output, result } = await run();
    expect(output.counts).toEqual({ managed: 3, compliant: 1, nonCompliant: 2, pendingReboot: 1, failed: 1, notCovered: 0, slaBreaches: 0 });
    expect(result.findings[0]).toMatchObject({
      instanceId: "i-0aaaaaaaaaaaaaaaa",
      name: "web-1",
      owner: "web@example.com",
      patch: {
        severity: "CRITICAL",
        pendingReboot: 4,
        criticalMissing: 2,
        securityMissing: 1,
        missing: 3,
        lastOperation: "Scan",
        lastOperationAt: "2027-01-10T09:05:00.000Z",
      },
    });
    expect(result.findings[1]).toMatchObject({ instanceId: "i-0bbbbbbbbbbbbbbbb", patch: { failed: 1, pendingReboot: 0 } });
  });

  it("lists instances that fail coverage rules as not covered, enriched from their tags", async () => {
    serve(
      new FakeMemberAccount([
        { id: "i-0aaaaaaaaaaaaaaaa", compliant: true, notCovered: ["patch-group-tag"], tags: { Name: "batch-1", "patch-policy": "patch-on-schedule" } },
        { id: "i-0bbbbbbbbbbbbbbbb", compliant: false, missing: 2, notCovered: ["managed-by-ssm", "patch-group-tag"] },
      ]),
    );
    const { output, result } = await run();
    expect(output.counts.notCovered).toBe(2);
    expect(result.findings.map((f) => [f.instanceId, f.notCovered, f.patch === undefined])).toEqual([
      ["i-0aaaaaaaaaaaaaaaa", ["patch-group-tag"], true],
      ["i-0bbbbbbbbbbbbbbbb", ["managed-by-ssm", "patch-group-tag"], false],
    ]);
    expect(result.findings[0]).toMatchObject({ name: "batch-1", patchPolicy: "patch-on-schedule" });
  });

  it("keeps the patch data and warns when a coverage rule does not exist in the account", async () => {
    serve(new FakeMemberAccount(generateFleet(4)));
    config.on(GetComplianceDetailsByConfigRuleCommand).rejects(awsError("NoSuchConfigRuleException"));
    const { output, result } = await run();
    expect(output.status).toBe("ok");
    expect(result.warnings).toContain(
      "coverage rule patchline-patch-group-tag does not exist here; deploy the member stack with tag compliance on and an AWS Config recorder",
    );
  });

  it("writes the whole result to the run's key and returns only the key and counts", async () => {
    serve(new FakeMemberAccount(generateFleet(10)));
    const { output } = await run();
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: "patchline-reports",
      Key: "runs/20270111T070000Z-1a2b3c4d/targets/prod/400000000002/eu-west-1.json",
    });
    expect(Object.keys(output).sort()).toEqual(["counts", "resultKey", "status"]);
  });
});

describe("targets that cannot be read", () => {
  it("records a role that cannot be assumed as unreachable, with the reason", async () => {
    sts.on(AssumeRoleCommand).rejects(awsError("AccessDenied", "User: ... is not authorized to perform: sts:AssumeRole"));
    const { output, result } = await run();
    expect(output.status).toBe("unreachable");
    expect(result.reason).toBe(
      "cannot assume arn:aws:iam::400000000002:role/patchline-compliance-reader: the role is missing or does not trust the collector (deploy the member stack)",
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  it("records access denied on an SSM call as unreachable, naming the call", async () => {
    serve(new FakeMemberAccount(generateFleet(4)));
    ssm.on(ListResourceComplianceSummariesCommand).rejects(awsError("AccessDeniedException"));
    const { result } = await run();
    expect(result).toMatchObject({ status: "unreachable", reason: "ListResourceComplianceSummaries: access denied (AccessDeniedException)", findings: [] });
  });

  it("records a region the account has not enabled as unreachable", async () => {
    serve(new FakeMemberAccount(generateFleet(4)));
    ssm.on(ListComplianceSummariesCommand).rejects(awsError("UnrecognizedClientException", "The security token included in the request is invalid."));
    const { result } = await run();
    expect(result.reason).toBe("ListComplianceSummaries: the region is not enabled for this account or rejects its credentials (UnrecognizedClientException)");
  });

  it("hands throttling that outlasted the SDK's retries to the state machine as TargetThrottled, writing nothing", async () => {
    serve(new FakeMemberAccount(generateFleet(4)));
    ssm.on(DescribeInstancePatchStatesCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    await expect(run()).rejects.toMatchObject({ name: "TargetThrottled" });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("records a service error the SDK's retries did not cure, naming the call", async () => {
    serve(new FakeMemberAccount(generateFleet(4)));
    ssm.on(ListComplianceSummariesCommand).rejects(awsError("InternalServerError", "Internal error", 500));
    const { result } = await run();
    expect(result.reason).toBe("ListComplianceSummaries failed after retries (InternalServerError: Internal error)");
  });

  it("fails loudly on an error of its own, writing nothing", async () => {
    serve(new FakeMemberAccount(generateFleet(4)));
    ssm.on(ListResourceComplianceSummariesCommand).rejects(new TypeError("Cannot read properties of undefined"));
    await expect(run()).rejects.toMatchObject({ name: "CollectionStepFailed", step: "ListResourceComplianceSummaries" });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
