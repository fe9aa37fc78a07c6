import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Channel } from "../shared/chat/deliver.js";
import { runKeys, zeroCounts, type TargetCounts, type TargetResult } from "../../../contracts/compliance-model.js";
import type { MapResult } from "../shared/schemas.js";
import { mapRunResults, type ResultWriterDetails } from "./map-results.js";
import { readObjectText } from "../../shared/clients/s3.js";
import { mapWithConcurrency } from "../../shared/concurrency.js";
import { findingsCsv } from "./csv.js";
import { reportHtml } from "./html.js";
import { buildReport, hasFindings } from "../shared/report.js";
import type { ComplianceErrorName } from "../../../contracts/compliance-run.js";

export interface ReportInput {
  readonly runId: string;
  readonly startedAt: string;
  readonly warnings: readonly string[];
  /** The Distributed Map's result manifest. */
  readonly results: ResultWriterDetails;
}

/** What the state machine carries on: counts, where the report is, and where the digest goes. */
export interface ReportOutput {
  readonly runId: string;
  readonly hasFindings: boolean;
  readonly counts: TargetCounts;
  readonly targets: number;
  readonly unreachable: number;
  readonly bucket: string;
  readonly keys: { readonly json: string; readonly csv: string; readonly html: string };
  /** S3 console link to the HTML page: opens for whoever may read the bucket, after sign-in. */
  readonly consoleUrl: string;
  readonly digestChannels: readonly Channel[];
  readonly allClear: boolean;
  /** A digest goes out: there are channels, and findings or an all-clear to send. */
  readonly sendDigest: boolean;
}

export interface ReportDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly region: string;
  readonly now: () => Date;
  readonly environmentOrder: readonly string[];
  readonly digestChannels: readonly Channel[];
  readonly allClear: boolean;
}

/** Why the state machine gave up on a target, from the error name its Catch recorded. */
export function caughtReason(error: string): string {
  if (error === ("TargetThrottled" satisfies ComplianceErrorName)) return "throttled beyond retries";
  if (error === "States.Timeout") return "the collector timed out";
  return `the collector failed (${error})`;
}

export const consoleUrl = (bucket: string, region: string, key: string): string =>
  `https://s3.console.aws.amazon.com/s3/object/${bucket}?region=${region}&bucketType=general&prefix=${encodeURIComponent(key)}`;

async function loadResult(deps: ReportDeps, result: MapResult): Promise<TargetResult> {
  if ("target" in result) {
    return {
      target: result.target,
      status: "unreachable",
      reason: caughtReason(result.error),
      collectedAt: deps.now().toISOString(),
      counts: zeroCounts,
      findings: [],
      warnings: [],
    };
  }
  return JSON.parse(await readObjectText(deps.s3, deps.bucket, result.resultKey)) as TargetResult;
}

/** Reads every target's result (the map run's result files, then each target's object), sums them up and writes the report as JSON, CSV and HTML. */
export async function writeReport(deps: ReportDeps, input: ReportInput): Promise<ReportOutput> {
  const mapResults: MapResult[] = [];
  for await (const result of mapRunResults((bucket, key) => readObjectText(deps.s3, bucket, key), input.results)) mapResults.push(result);
  const results = await mapWithConcurrency(mapResults, 16, (r) => loadResult(deps, r));
  const report = buildReport(
    { runId: input.runId, startedAt: input.startedAt, generatedAt: deps.now().toISOString(), warnings: input.warnings },
    results,
    deps.environmentOrder,
  );
  const keys = {
    json: runKeys.report(input.runId, "report.json"),
    csv: runKeys.report(input.runId, "findings.csv"),
    html: runKeys.report(input.runId, "report.html"),
  };
  const s3Path = (key: string) => `s3://${deps.bucket}/${key}`;
  const put = (Key: string, Body: string, ContentType: string) => deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key, Body, ContentType }));
  await Promise.all([
    put(keys.json, JSON.stringify(report), "application/json"),
    put(keys.csv, findingsCsv(report.findings), "text/csv; charset=utf-8"),
    put(keys.html, reportHtml(report, { csv: s3Path(keys.csv), json: s3Path(keys.json) }), "text/html; charset=utf-8"),
  ]);
  const findings = hasFindings(report);
  return {
    runId: report.runId,
    hasFindings: findings,
    counts: report.counts,
    targets: report.targets,
    unreachable: report.unreachable.length,
    bucket: deps.bucket,
    keys,
    consoleUrl: consoleUrl(deps.bucket, deps.region, keys.html),
    digestChannels: deps.digestChannels,
    allClear: deps.allClear,
    sendDigest: deps.digestChannels.length > 0 && (findings || deps.allClear),
  };
}
