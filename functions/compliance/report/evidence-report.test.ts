import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { runKeys, zeroCounts, type TargetResult } from "../../../contracts/compliance-model.js";
import { evidencePartKey, parseEvidenceDocument, parseEvidenceSummary } from "../../../contracts/evidence.js";
import { okResult, targetOf } from "../../../test/support/compliance-fixtures.js";
import { evidencePartOf } from "../../../test/support/evidence-fixtures.js";
import { mapRunObjects } from "../../../test/support/map-run.js";
import { s3Body } from "../../../test/support/s3-body.js";
import { writeReport, type ReportDeps } from "./run.js";

const s3 = mockClient(S3Client);
const reports = "patchline-reports";
const evidenceBucket = "patchline-evidence-100000000001-us-east-1";
const runId = "r7";

const web = targetOf("preprod", "300000000002", "web-preprod", "us-east-1");
const webEu = targetOf("preprod", "300000000002", "web-preprod", "eu-west-1");
const payments = targetOf("preprod", "300000000001", "payments-preprod", "us-east-1");
const prod = targetOf("prod", "400000000002", "web-prod", "us-east-1");

const unreachableResult = (target: typeof web, reason: string): TargetResult => ({
  target,
  status: "unreachable",
  reason,
  collectedAt: "2027-01-11T07:00:10Z",
  counts: zeroCounts,
  findings: [],
  warnings: [],
});

/** A run of four targets: preprod's evidence is collected (one read, one the collector could not read, one the run gave up on), prod's is not. */
function storeRun() {
  const results = new Map<string, TargetResult>([
    [runKeys.targetResult(runId, web), okResult(web, [], 2)],
    [runKeys.targetResult(runId, webEu), unreachableResult(webEu, "ListComplianceSummaries: access denied (AccessDeniedException)")],
    [runKeys.targetResult(runId, prod), okResult(prod, [], 1)],
  ]);
  const output = (target: typeof web, evidence: boolean) => ({
    status: results.get(runKeys.targetResult(runId, target))!.status,
    resultKey: runKeys.targetResult(runId, target),
    counts: results.get(runKeys.targetResult(runId, target))!.counts,
    ...(evidence && { evidenceKey: evidencePartKey(runId, target) }),
  });
  const map = mapRunObjects(reports, [
    { input: { runId, target: web }, status: "SUCCEEDED", output: output(web, true) },
    { input: { runId, target: webEu }, status: "SUCCEEDED", output: output(webEu, false) },
    { input: { runId, target: payments }, status: "SUCCEEDED", output: { status: "unreachable", target: payments, error: "TargetThrottled" } },
    // written by a collector that still had prod's evidence in its catalog: not prod's to keep
    { input: { runId, target: prod }, status: "SUCCEEDED", output: output(prod, true) },
  ]);
  for (const [key, text] of map.objects) s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: s3Body(text) }));
  for (const [key, result] of results) s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: s3Body(JSON.stringify(result)) }));
  const webPart = evidencePartOf(web, [
    {
      id: "i-0a",
      patches: [
        ["KB1", "Installed"],
        ["KB2", "Missing"],
      ],
    },
    { id: "i-0b", patches: [["KB1", "Failed"]] },
  ]);
  s3.on(GetObjectCommand, { Key: evidencePartKey(runId, web) }).callsFake(() => ({ Body: s3Body(JSON.stringify(webPart)) }));
  s3.on(GetObjectCommand, { Key: evidencePartKey(runId, prod) }).callsFake(() => ({ Body: s3Body(JSON.stringify(evidencePartOf(prod, []))) }));
  s3.on(GetObjectCommand, { Bucket: evidenceBucket }).rejects(
    Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
  );
  return { details: map.details, webPart };
}

const deps = (evidence?: ReportDeps["evidence"]): ReportDeps => ({
  s3: new S3Client({ region: "us-east-1" }),
  bucket: reports,
  region: "us-east-1",
  now: () => new Date("2027-01-11T07:30:00Z"),
  environmentOrder: ["dev", "preprod", "prod"],
  digestChannels: [],
  allClear: false,
  evidence,
});

const toEvidenceBucket = () => s3.commandCalls(PutObjectCommand).filter((c) => c.args[0].input.Bucket === evidenceBucket);

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

describe("the report step writes the evidence of the run", () => {
  it("writes one document per evidence environment with all its targets, unreachable ones with their reason, and lists it in the summary", async () => {
    const { details, webPart } = storeRun();
    const output = await writeReport(deps({ bucket: evidenceBucket, environments: ["preprod"] }), {
      runId,
      startedAt: "2027-01-11T07:00:00.000Z",
      warnings: [],
      results: details,
    });
    expect(output.evidenceKeys).toEqual(["evidence/preprod/runs/r7.json"]);
    const [document, summary] = toEvidenceBucket().map((c) => c.args[0].input);
    expect(document).toMatchObject({ Key: "evidence/preprod/runs/r7.json", IfNoneMatch: "*" });
    const written = parseEvidenceDocument(JSON.parse(String(document!.Body)), "document");
    expect(written.id).toBe("preprod/r7");
    expect(written.targets.map((t) => [t.accountId, t.region, t.status, t.reason])).toEqual([
      ["300000000001", "us-east-1", "unreachable", "throttled beyond retries"],
      ["300000000002", "eu-west-1", "unreachable", "ListComplianceSummaries: access denied (AccessDeniedException)"],
      ["300000000002", "us-east-1", "ok", undefined],
    ]);
    expect(written.instances).toEqual(webPart.instances);
    expect(written.windowExecutions).toEqual(webPart.windowExecutions);
    expect(written.collectedAt).toBe(webPart.collectedAt);
    expect(summary).toMatchObject({ Key: "evidence/preprod/summary.json", IfNoneMatch: "*" });
    expect(parseEvidenceSummary(JSON.parse(String(summary!.Body)), "summary").runs).toEqual([
      {
        id: "preprod/r7",
        key: "evidence/preprod/runs/r7.json",
        collectedAt: webPart.collectedAt,
        instances: 2,
        unreachableTargets: 2,
        installed: 1,
        failed: 1,
        missing: 1,
      },
    ]);
    // the report itself is written as before
    expect(output).toMatchObject({ targets: 4, unreachable: 2 });
    // prod's part is not read: the run keeps only the evidence environments' data
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).not.toContain(evidencePartKey(runId, prod));
  });

  it("writes no evidence when no environment's evidence is collected", async () => {
    const { details } = storeRun();
    const output = await writeReport(deps(), { runId, startedAt: "2027-01-11T07:00:00.000Z", warnings: [], results: details });
    expect(output.evidenceKeys).toEqual([]);
    expect(toEvidenceBucket()).toHaveLength(0);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).not.toContain(evidencePartKey(runId, web));
  });
});
