import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  DescribeAvailablePatchesCommand,
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  ListComplianceSummariesCommand,
  ListResourceComplianceSummariesCommand,
} from "@aws-sdk/client-ssm";
import { DescribeTagsCommand } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import type { Target, TargetResult } from "../../../contracts/compliance-model.js";
import type { MissingPatchLine } from "../../../contracts/patch-sla.js";
import type { FakePatch } from "../../../test/support/fake-evidence-account.js";
import { FakeSlaAccount, type CatalogEntry } from "../../../test/support/fake-sla-account.js";
import type { CollectorInput } from "./run.js";
import { collectorRun } from "../../../test/support/collector-run.js";

const runId = "20270115T070000Z-1a2b3c4d";
const now = new Date("2027-01-15T07:00:05Z");
const { ssm, ec2, sts, s3, collect, puts: written } = collectorRun(now);
const target: Target = { accountId: "400000000002", accountName: "web-prod", environment: "prod", region: "eu-west-1", source: "config" };
const dataBucket = "patchline-patch-data-100000000001-us-east-1";
const input: CollectorInput = {
  runId,
  target,
  roleArn: "arn:aws:iam::400000000002:role/patchline-compliance-reader",
  coverageRules: [],
  ownerTagKey: "Owner",
  patchGroupTagKey: "Patch Group",
  sla: { days: { Critical: 14, Important: 30 }, bucket: dataBucket },
};
const resultKey = `runs/${runId}/targets/prod/400000000002/eu-west-1.json`;
const missingKey = `missing-patches/run_date=2027-01-15/${runId}/prod/400000000002/eu-west-1.json`;

const awsError = (name: string, message = name, httpStatusCode = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
const id = (n: number) => `i-0${n.toString(16).padStart(16, "0")}`;
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

/** An instance whose patch state counts exactly the missing and failed patches it lists, besides a few installed ones. */
function instance(n: number, patches: FakePatch[], extra: { gone?: boolean } = {}) {
  const missing = patches.filter((p) => p.State === "Missing").length;
  const failed = patches.filter((p) => p.State === "Failed").length;
  const installed: FakePatch[] = [{ KBId: "KB5031000", State: "Installed", InstalledTime: daysAgo(60) }];
  return {
    id: id(n),
    compliant: missing + failed === 0,
    severity: "CRITICAL",
    missing,
    failed,
    patchGroup: "web-prod",
    tags: { Name: `web-${n}`, "Patch Group": "web-prod" },
    patches: [...installed, ...patches],
    ...extra,
  };
}
const kb = (KBId: string, Severity: string, State = "Missing", extra: Partial<FakePatch> = {}): FakePatch => ({ KBId, Severity, State, ...extra });

function serve(account: FakeSlaAccount): void {
  ssm.on(ListComplianceSummariesCommand).callsFake((i) => account.listComplianceSummaries(i));
  ssm.on(ListResourceComplianceSummariesCommand).callsFake((i) => account.listResourceComplianceSummaries(i));
  ssm.on(DescribeInstancePatchStatesCommand).callsFake((i) => account.describeInstancePatchStates(i));
  ssm.on(DescribeInstancePatchesCommand).callsFake((i) => account.describeInstancePatches(i));
  ssm.on(DescribeAvailablePatchesCommand).callsFake((i) => account.describeAvailablePatches(i));
  ec2.on(DescribeTagsCommand).callsFake((i) => account.describeTags(i));
}

async function run(extra: Partial<CollectorInput> = {}) {
  const output = await collect({ ...input, ...extra });
  const puts = new Map(written().map((put) => [`${put.Bucket}/${put.Key}`, put]));
  const result = JSON.parse(String(puts.get(`patchline-reports/${resultKey}`)!.Body)) as TargetResult;
  const missing = puts.get(`${dataBucket}/${missingKey}`);
  const lines = missing
    ? String(missing.Body)
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as MissingPatchLine)
    : undefined;
  return { output, result, missing, lines };
}

const catalog: CatalogEntry[] = [
  // one KB, an entry per product it updates: the earliest date counts
  { kb: "KB5034441", product: "WindowsServer2022", released: daysAgo(20) },
  { kb: "KB5034441", product: "WindowsServer2019", released: daysAgo(21) },
  { kb: "KB5034439", product: "WindowsServer2022", released: daysAgo(40), severity: "Important" },
  { kb: "KB5035845", product: "WindowsServer2022", released: daysAgo(3) },
  // listed without a date
  { kb: "KB890830", product: "WindowsServer2022" },
];

describe("the patch SLA of one account and region", () => {
  it("makes no call for the SLA and writes no missing patches without an SLA", async () => {
    serve(new FakeSlaAccount([instance(1, [kb("KB5034441", "Critical")])], catalog));
    const { output, missing } = await run({ sla: undefined });
    expect(ssm.commandCalls(DescribeInstancePatchesCommand)).toHaveLength(0);
    expect(ssm.commandCalls(DescribeAvailablePatchesCommand)).toHaveLength(0);
    expect(missing).toBeUndefined();
    expect(output.counts.slaBreaches).toBe(0);
  });

  it("asks for an instance's Missing and Failed patches in separate calls of 100, each only when its patch state counts some", async () => {
    const many = Array.from({ length: 150 }, (_, n) => kb(`KB${5100000 + n}`, "Low"));
    serve(new FakeSlaAccount([instance(1, many), instance(2, [kb("KB5035845", "Critical", "Failed")]), instance(3, [])], catalog));
    await run();
    // four instances at a time: the order of the calls is not fixed (150 missing patches are two pages)
    const calls = ssm
      .commandCalls(DescribeInstancePatchesCommand)
      .map((c) => c.args[0].input)
      .sort((a, b) => a.InstanceId!.localeCompare(b.InstanceId!));
    expect(calls.map((c) => [c.InstanceId, c.Filters, c.MaxResults])).toEqual([
      [id(1), [{ Key: "State", Values: ["Missing"] }], 100],
      [id(1), [{ Key: "State", Values: ["Missing"] }], 100],
      [id(2), [{ Key: "State", Values: ["Failed"] }], 100],
    ]);
  });

  it("looks each Windows KB up once for the target however many instances miss it, by its KB id alone, and never a Linux package", async () => {
    const shared = [kb("KB5034441", "Critical"), kb("KB5034439", "Important")];
    serve(
      new FakeSlaAccount(
        [
          instance(1, shared),
          instance(2, shared),
          instance(3, [...shared, kb("KB5035845", "Critical", "Failed")]),
          instance(4, [kb("kernel.x86_64", "Important"), kb("openssl-libs.x86_64", "Critical")]),
        ],
        catalog,
      ),
    );
    await run();
    const lookups = ssm.commandCalls(DescribeAvailablePatchesCommand).map((c) => c.args[0].input);
    expect(lookups.map((l) => l.Filters)).toEqual([
      [{ Key: "PATCH_ID", Values: ["KB5034439"] }],
      [{ Key: "PATCH_ID", Values: ["KB5034441"] }],
      [{ Key: "PATCH_ID", Values: ["KB5035845"] }],
    ]);
    expect(lookups.every((l) => l.MaxResults === 100)).toBe(true);
  });

  it("flags instances in breach, counts them, and summarizes each instance's missing patches", async () => {
    serve(
      new FakeSlaAccount(
        [
          // Critical 21 days old (earliest product entry): 7 days past 14; Important 40 days: 10 past 30
          instance(1, [kb("KB5034441", "Critical"), kb("KB5034439", "Important")]),
          // Critical 3 days old and failed, within SLA; a Linux package of unknown age
          instance(2, [kb("KB5035845", "Critical", "Failed"), kb("kernel.x86_64", "Important")]),
          instance(3, []),
        ],
        catalog,
      ),
    );
    const { output, result } = await run();
    expect(output.counts).toMatchObject({ nonCompliant: 2, slaBreaches: 1 });
    const byId = new Map(result.findings.map((f) => [f.instanceId, f]));
    expect(byId.get(id(1))!.sla).toEqual({
      breaches: 2,
      oldestMissingDays: 40,
      unknownAge: 0,
      worst: { patchId: "KB5034439", title: "KB5034439", severity: "Important", ageDays: 40, slaDays: 30 },
    });
    expect(byId.get(id(2))!.sla).toEqual({ breaches: 0, oldestMissingDays: 3, unknownAge: 1 });
    expect(byId.has(id(3))).toBe(false);
  });

  it("writes every missing and failed patch as a line of missing_patches, below the run's date", async () => {
    serve(
      new FakeSlaAccount(
        [instance(1, [kb("KB5034441", "Critical", "Missing", { CVEIds: "CVE-2027-0001,CVE-2027-0002" }), kb("KB890830", "Unspecified", "Failed")])],
        catalog,
      ),
    );
    const { missing, lines } = await run();
    expect(missing).toMatchObject({ ContentType: "application/x-ndjson" });
    expect(lines).toEqual([
      {
        run_id: runId,
        collected_at: "2027-01-15T07:00:05.000Z",
        environment: "prod",
        account_id: "400000000002",
        account_name: "web-prod",
        region: "eu-west-1",
        instance_id: id(1),
        instance_name: "web-1",
        patch_group: "web-prod",
        patch_id: "KB5034441",
        title: "KB5034441",
        classification: "SecurityUpdates",
        severity: "Critical",
        state: "Missing",
        cve_ids: "CVE-2027-0001,CVE-2027-0002",
        release_date: "2026-12-25",
        age_days: 21,
        sla_days: 14,
        breach: true,
      },
      expect.objectContaining({ patch_id: "KB890830", state: "Failed", release_date: null, age_days: null, sla_days: null, breach: false }),
    ]);
  });

  it("writes an empty object for a target that misses nothing, and none for one it cannot read", async () => {
    serve(new FakeSlaAccount([instance(1, [])], catalog));
    expect((await run()).missing).toMatchObject({ Body: "" });
    s3.resetHistory();
    sts.on(AssumeRoleCommand).rejects(awsError("AccessDenied"));
    const { output, missing } = await run();
    expect(output.status).toBe("unreachable");
    expect(missing).toBeUndefined();
  });

  it("leaves out an instance deregistered since its patch state was read", async () => {
    serve(new FakeSlaAccount([instance(1, [kb("KB5034441", "Critical")], { gone: true }), instance(2, [kb("KB5034441", "Critical")])], catalog));
    const { output, lines } = await run();
    expect(lines!.map((l) => l.instance_id)).toEqual([id(2)]);
    expect(output.counts.slaBreaches).toBe(1);
  });

  it("keeps the compliance result and warns when the member role may not read release dates yet", async () => {
    serve(new FakeSlaAccount([instance(1, [kb("KB5034441", "Critical")])], catalog));
    ssm.on(DescribeAvailablePatchesCommand).rejects(awsError("AccessDeniedException"));
    const { output, result, missing } = await run();
    expect(output).toMatchObject({ status: "ok", counts: { nonCompliant: 1, slaBreaches: 0 } });
    expect(result.warnings).toEqual(["patch SLA not checked: DescribeAvailablePatches: access denied (AccessDeniedException)"]);
    expect(result.findings[0]!.sla).toBeUndefined();
    expect(missing).toBeUndefined();
  });

  it("hands throttling of the SLA's calls to the state machine, writing nothing", async () => {
    serve(new FakeSlaAccount([instance(1, [kb("KB5034441", "Critical")])], catalog));
    ssm.on(DescribeInstancePatchesCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    await expect(run()).rejects.toMatchObject({ name: "TargetThrottled" });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
