import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { HTML_WORST_ROWS } from "./html.js";
import { REPORT_WORST_FINDINGS, runKeys, type TargetResult } from "../../../contracts/compliance-model.js";
import { findingsFor, okResult, targetOf } from "../../../test/support/compliance-fixtures.js";
import { mapRunObjects } from "../../../test/support/map-run.js";
import { s3Body } from "../../../test/support/s3-body.js";
import { buildReport, ReportBuilder, worstFirst } from "../shared/report.js";
import { findingsCsvHeader, findingsCsvRows } from "./csv.js";
import { writeReport } from "./run.js";

const s3 = mockClient(S3Client);
const bucket = "patchline-reports";

/** `targets` account-regions of prod with `perTarget` findings each: a run too large for one report in memory. */
function largeRun(targets: number, perTarget: number): TargetResult[] {
  return Array.from({ length: targets }, (_, t) => {
    const target = targetOf("prod", String(400_000_000_000 + t), `app${t}`, "us-east-1");
    return okResult(target, findingsFor(target, perTarget, t * 7), perTarget * 2);
  });
}

/** Answers GetObject with the map run's files and every target's result; returns the run's results location. */
function storeRun(results: readonly TargetResult[], missing?: TargetResult) {
  const map = mapRunObjects(
    bucket,
    results.map((r) => ({
      input: { runId: "r9", target: r.target },
      status: "SUCCEEDED" as const,
      output: { status: "ok", resultKey: runKeys.targetResult("r9", r.target), counts: r.counts },
    })),
    100,
  );
  for (const [key, text] of map.objects) s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: s3Body(text) }));
  for (const r of results) {
    const key = runKeys.targetResult("r9", r.target);
    if (r === missing) s3.on(GetObjectCommand, { Key: key }).rejects(Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" }));
    else s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: s3Body(JSON.stringify(r)) }));
  }
  return map.details;
}

const deps = () => ({
  s3: new S3Client({ region: "us-east-1" }),
  bucket,
  region: "us-east-1",
  now: () => new Date("2027-01-11T07:30:00Z"),
  environmentOrder: ["prod"],
  digestChannels: [],
  allClear: false,
});

describe("a report of any size", () => {
  beforeEach(() => {
    s3.reset();
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: "upload-1" });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"part-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
  });

  it("keeps the worst instances of every target it sums, and counts them all", () => {
    const results = largeRun(30, 40);
    const builder = new ReportBuilder({ runId: "r", startedAt: "s", generatedAt: "g", warnings: [] }, ["prod"], 100);
    for (const result of results) builder.add(result);
    const report = builder.report();
    const everyFinding = results.flatMap((r) => r.findings).sort(worstFirst);
    expect(report.findings).toEqual(everyFinding.slice(0, 100));
    expect(report.findingsTotal).toBe(1200);
    // the counts are the same as summing everything at once
    expect(report.counts).toEqual(buildReport({ runId: "r", startedAt: "s", generatedAt: "g", warnings: [] }, results, ["prod"]).counts);
  });

  it("uploads the CSV of every finding in parts while it reads the targets; JSON and HTML hold the worst", async () => {
    // 60,000 findings: about 14 MiB of CSV, two parts
    const results = largeRun(60, 1000);
    const output = await writeReport(deps(), { runId: "r9", startedAt: "2027-01-11T07:00:00Z", warnings: [], results: storeRun(results) });
    expect(output.counts.nonCompliant).toBe(60_000);

    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => [p.Key, p.UploadId, p.PartNumber])).toEqual([
      [runKeys.report("r9", "findings.csv"), "upload-1", 1],
      [runKeys.report("r9", "findings.csv"), "upload-1", 2],
    ]);
    const csv = Buffer.concat(parts.map((p) => Buffer.from(p.Body as Uint8Array))).toString("utf8");
    // every finding, target by target, each target's worst first
    expect(csv).toBe(findingsCsvHeader + results.map((r) => findingsCsvRows([...r.findings].sort(worstFirst))).join(""));
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.MultipartUpload?.Parts).toHaveLength(2);

    const written = Object.fromEntries(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Key, String(c.args[0].input.Body)]));
    const json = JSON.parse(written[runKeys.report("r9", "report.json")]!);
    expect(json.findings).toHaveLength(REPORT_WORST_FINDINGS);
    expect(json.findingsTotal).toBe(60_000);
    // the JSON keeps the worst REPORT_WORST_FINDINGS, the page the worst HTML_WORST_ROWS of them, linking to the whole CSV
    const html = written[runKeys.report("r9", "report.html")]!;
    expect(html).toContain(`The ${HTML_WORST_ROWS} worst of 60000 instances; all of them are in <a href="https://s3.console.aws.amazon.com/s3/object/`);
    expect(html.match(/<tr><td class="t"/g)).toHaveLength(HTML_WORST_ROWS);
  }, 30_000);

  it("leaves no findings file and no report when a target's result cannot be read", async () => {
    // the first 256 targets (one step of reads) are written, about 12 MiB; the 300th is missing
    const results = largeRun(300, 200);
    const location = storeRun(results, results[299]);
    await expect(writeReport(deps(), { runId: "r9", startedAt: "2027-01-11T07:00:00Z", warnings: [], results: location })).rejects.toThrow(/does not exist/);
    expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: bucket, Key: runKeys.report("r9", "findings.csv"), UploadId: "upload-1" },
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toEqual([]);
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
  }, 30_000);
});
