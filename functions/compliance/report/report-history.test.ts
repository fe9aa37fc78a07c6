import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { historyKey } from "../../../contracts/compliance-history.js";
import { runKeys, type TargetResult } from "../../../contracts/compliance-model.js";
import { findingsFor, okResult, targetOf } from "../../../test/support/compliance-fixtures.js";
import { mapRunObjects } from "../../../test/support/map-run.js";
import { s3Body } from "../../../test/support/s3-body.js";
import { historyEnvironmentLines, historyTargetLines, jsonLines } from "./history.js";
import { writeReport, type ReportDeps } from "./run.js";

const s3 = mockClient(S3Client);
const reports = "patchline-reports";
const data = "patchline-patch-data-100000000001-us-east-1";
const run = { runId: "20270111T070000Z-1a2b3c4d", startedAt: "2027-01-11T07:00:00.000Z" };
const keys = { environments: historyKey("environments", run), targets: historyKey("targets", run) };
const lastRun = { runId: "20270108T070000Z-99999999", startedAt: "2027-01-08T07:00:00.000Z" };

const web = targetOf("prod", "400000000002", "web-prod", "us-east-1");
const results: TargetResult[] = [okResult(web, findingsFor(web, 4), 40)];

const deps = (): ReportDeps => ({
  s3: new S3Client({ region: "us-east-1" }),
  bucket: reports,
  region: "us-east-1",
  now: () => new Date("2027-01-11T07:05:00Z"),
  environmentOrder: ["prod"],
  digestChannels: [],
  allClear: false,
  history: { bucket: data, runs: 30 },
});

/** The map run's files, its results, and the history: the run of 8 Jan with prod at 80 % of 40 (8 non-compliant), plus `more` keys. */
function storeRun(more: string[] = []) {
  const map = mapRunObjects(
    reports,
    results.map((r) => ({
      input: { runId: run.runId, target: r.target },
      status: "SUCCEEDED" as const,
      output: { status: "ok", resultKey: runKeys.targetResult(run.runId, r.target), counts: r.counts },
    })),
  );
  for (const [key, text] of map.objects) s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: s3Body(text) }));
  for (const r of results) s3.on(GetObjectCommand, { Key: runKeys.targetResult(run.runId, r.target) }).callsFake(() => ({ Body: s3Body(JSON.stringify(r)) }));
  const last = historyKey("environments", lastRun);
  const line = { ...lastRun, run_id: lastRun.runId, started_at: lastRun.startedAt, environment: "prod", targets: 1, unreachable: 0 };
  const counts = { managed: 40, compliant: 32, non_compliant: 8, pending_reboot: 0, failed: 0, not_covered: 0, sla_breaches: 0 };
  const { runId: _, startedAt: __, ...lastLine } = { ...line, ...counts };
  s3.on(GetObjectCommand, { Bucket: data, Key: last }).callsFake(() => ({ Body: s3Body(jsonLines([lastLine])) }));
  s3.on(ListObjectsV2Command, { Bucket: data }).resolves({ Contents: [last, ...more].sort().map((Key) => ({ Key })) });
  s3.on(PutObjectCommand).resolves({});
  return map.details;
}

const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);

describe("a report with the run history", () => {
  beforeEach(() => s3.reset());

  it("compares the run with the last one, shows the trend, and appends the run to the history after the report", async () => {
    const output = await writeReport(deps(), { ...run, warnings: [], results: storeRun() });
    expect(output.trend).toEqual({
      changes: [
        {
          environment: "prod",
          current: { compliancePercent: 90, managed: 40, nonCompliant: 4, unreachable: 0, notCovered: 1, targets: 1 },
          previous: {
            compliancePercent: 80,
            managed: 40,
            nonCompliant: 8,
            unreachable: 0,
            notCovered: 0,
            targets: 1,
            ...lastRun,
            startedAt: "2027-01-08T07:00:00Z",
          },
        },
      ],
      warnings: [],
    });
    const written = puts();
    // the report first, then the history: a history line never names a run without its report
    expect(written.map((p) => `${p.Bucket}/${p.Key}`)).toEqual([
      `${reports}/${runKeys.report(run.runId, "findings.csv")}`,
      `${reports}/${runKeys.report(run.runId, "report.json")}`,
      `${reports}/${runKeys.report(run.runId, "report.html")}`,
      `${data}/${keys.environments}`,
      `${data}/${keys.targets}`,
    ]);
    expect(written.filter((p) => p.Bucket === data).map((p) => p.IfNoneMatch)).toEqual(["*", "*"]);
    const html = String(written[2]!.Body);
    expect(html).toContain('<tr><th>prod</th><td class="n">90%<span class="d better">+10</span></td>');
    expect(html).toContain("<h2>Compliance over the last 2 runs</h2>");
    const json = JSON.parse(String(written[1]!.Body));
    expect(JSON.parse(String(written[3]!.Body).trim())).toMatchObject({ run_id: run.runId, environment: "prod", managed: 40, compliant: 36 });
    expect(String(written[3]!.Body)).toBe(jsonLines(historyEnvironmentLines(json)));
  });

  it("does not compare a retried step's run with itself, and takes the history its first attempt wrote as its own", async () => {
    const details = storeRun([keys.environments]);
    // the first attempt wrote the report and the history, then failed (storing the evidence, say)
    await writeReport(deps(), { ...run, warnings: [], results: details });
    const report = JSON.parse(String(puts().find((p) => p.Key === runKeys.report(run.runId, "report.json"))!.Body));
    s3.on(PutObjectCommand, { Bucket: data }).rejects(
      new S3ServiceException({ name: "PreconditionFailed", $fault: "client", $metadata: { httpStatusCode: 412 }, message: "pre-conditions did not hold" }),
    );
    s3.on(GetObjectCommand, { Bucket: data, Key: keys.environments }).callsFake(() => ({ Body: s3Body(jsonLines(historyEnvironmentLines(report))) }));
    s3.on(GetObjectCommand, { Bucket: data, Key: keys.targets }).callsFake(() => ({ Body: s3Body(jsonLines(historyTargetLines(report))) }));
    const output = await writeReport(deps(), { ...run, warnings: [], results: details });
    expect(output.trend.warnings).toEqual([]);
    // both objects were found written and read back
    expect(s3.commandCalls(GetObjectCommand, { Bucket: data, Key: keys.targets })).toHaveLength(1);
    expect(s3.commandCalls(GetObjectCommand, { Bucket: data, Key: keys.environments })).toHaveLength(1);
    expect(output.trend.changes[0]!.previous?.runId).toBe(lastRun.runId);
  });

  it("writes the report and tells the digest when the history cannot be written", async () => {
    const details = storeRun();
    s3.on(PutObjectCommand, { Bucket: data }).rejects(
      new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Access Denied" }),
    );
    const output = await writeReport(deps(), { ...run, warnings: [], results: details });
    expect(output.trend.warnings).toEqual([
      `history not written to s3://${data}/${keys.environments} (AccessDenied: Access Denied): the trend and history_environments lack this run`,
      `history not written to s3://${data}/${keys.targets} (AccessDenied: Access Denied): history_targets lacks this run`,
    ]);
    expect(puts().filter((p) => p.Bucket === reports)).toHaveLength(3);
  });

  it("reports an earlier run's damaged object among the warnings, and compares with the runs it could read", async () => {
    const damaged = historyKey("environments", { runId: "20270110T070000Z-00000000", startedAt: "2027-01-10T07:00:00Z" });
    const details = storeRun([damaged]);
    s3.on(GetObjectCommand, { Bucket: data, Key: damaged }).callsFake(() => ({ Body: s3Body("not json\n") }));
    const output = await writeReport(deps(), { ...run, warnings: [], results: details });
    const json = JSON.parse(String(puts().find((p) => p.Key === runKeys.report(run.runId, "report.json"))!.Body));
    expect(json.warnings).toEqual([`s3://${data}/${damaged} was left out of the trend: line 1 is not JSON`]);
    expect(output.trend.changes[0]!.previous?.runId).toBe(lastRun.runId);
  });

  it("reads and writes no history without a history bucket, and the digest gets no changes", async () => {
    const { history: _, ...withoutHistory } = deps();
    const output = await writeReport(withoutHistory, { ...run, warnings: [], results: storeRun() });
    expect(output.trend).toEqual({ changes: [], warnings: [] });
    expect(s3.commandCalls(ListObjectsV2Command)).toEqual([]);
    expect(puts().map((p) => p.Bucket)).toEqual([reports, reports, reports]);
    expect(String(puts()[2]!.Body)).not.toContain("Since the last run");
  });
});
