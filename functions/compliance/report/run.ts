import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Channel } from "../../shared/chat/deliver.js";
import { runKeys, zeroCounts, type TargetCounts, type TargetResult } from "../../../contracts/compliance-model.js";
import type { MapResult } from "../shared/schemas.js";
import { mapRunResults, type ResultWriterDetails } from "./map-results.js";
import { readObjectText } from "../../shared/clients/s3.js";
import { mapWithConcurrency } from "../../shared/concurrency.js";
import { findingsCsvHeader, findingsCsvRows } from "./csv.js";
import { reportHtml } from "./html.js";
import { hasFindings, ReportBuilder, worstFirst } from "../shared/report.js";
import { streamingUpload } from "../../shared/clients/s3-upload.js";
import type { ComplianceErrorName } from "../../../contracts/compliance-run.js";
import type { EvidencePart } from "../../../contracts/evidence.js";
import { EvidenceAssembler } from "../evidence/assemble.js";
import { readEvidencePart, storeEvidence } from "../evidence/store.js";
import { historyKey, type RunTrend } from "../../../contracts/compliance-history.js";
import { writeHistory } from "./history.js";
import { readPastRuns } from "./history-read.js";
import { reportTrend } from "./trend.js";

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
  /** Keys of the evidence documents written to the evidence bucket (none when no environment's evidence is collected). */
  readonly evidenceKeys: readonly string[];
  readonly digestChannels: readonly Channel[];
  readonly allClear: boolean;
  /** A digest goes out: there are channels, and findings or an all-clear to send. */
  readonly sendDigest: boolean;
  /** Each environment's change since the last run, and what could not be written to the history: for the digest. */
  readonly trend: RunTrend;
}

export interface ReportDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly region: string;
  readonly now: () => Date;
  readonly environmentOrder: readonly string[];
  readonly digestChannels: readonly Channel[];
  readonly allClear: boolean;
  /** The owner domains (fleet catalog): owner tags outside them are listed as invalid owners. */
  readonly ownerEmailDomains?: readonly string[];
  /**
   * The environments whose evidence the run collects (fleet catalog) and the bucket their
   * documents go to.
   * @default - no evidence
   */
  readonly evidence?: { readonly bucket: string; readonly environments: readonly string[] };
  /**
   * The compliance data bucket the run history is kept in, and how many runs the trend shows (this
   * one included).
   * @default - no history: none read, none written, no trend
   */
  readonly history?: { readonly bucket: string; readonly runs: number };
  /**
   * The patch SLA the collectors checked (days per severity), which the report states.
   * @default - no SLA
   */
  readonly sla?: Readonly<Record<string, number>>;
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

/** A target's result, and its evidence part when its environment's evidence is collected and it has one. */
async function loadTarget(deps: ReportDeps, evidence: EvidenceAssembler, result: MapResult): Promise<{ result: TargetResult; part?: EvidencePart }> {
  const loaded = await loadResult(deps, result);
  const partKey = "evidenceKey" in result ? result.evidenceKey : undefined;
  if (!partKey || !evidence.wants(loaded.target.environment)) return { result: loaded };
  return { result: loaded, part: await readEvidencePart(deps.s3, deps.bucket, partKey) };
}

/** Why a target of an evidence environment has no part: the collector could not read it, or did not collect its evidence. */
const noEvidenceReason = (result: TargetResult): string => result.reason ?? "the collector wrote no evidence for this target";

/**
 * Target results read at once: S3 answers each read in tens of milliseconds, so 30,000 of them
 * need many in flight; below the SDK's 50 sockets, which the CSV's part uploads share.
 */
const READS_IN_FLIGHT = 32;
/** Target results read and summed at a time: 64 results in memory, a few MB each at most (a target of thousands of instances with findings). */
const RESULTS_PER_STEP = 64;

async function* inSteps<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let step: T[] = [];
  for await (const item of items) {
    step.push(item);
    if (step.length === size) {
      yield step;
      step = [];
    }
  }
  if (step.length > 0) yield step;
}

/**
 * Reads every target's result (the map run's result files, then each target's object) and sums
 * them up as it goes: the CSV of every finding is uploaded while it is written, the JSON and HTML
 * report hold the totals and the worst instances. Memory grows with the number of targets by one
 * totals line each, not with their findings.
 */
export async function writeReport(deps: ReportDeps, input: ReportInput): Promise<ReportOutput> {
  const keys = {
    json: runKeys.report(input.runId, "report.json"),
    csv: runKeys.report(input.runId, "findings.csv"),
    html: runKeys.report(input.runId, "report.html"),
  };
  const builder = new ReportBuilder(
    { runId: input.runId, startedAt: input.startedAt, generatedAt: deps.now().toISOString(), warnings: input.warnings, sla: deps.sla },
    deps.environmentOrder,
    undefined,
    deps.ownerEmailDomains,
  );
  // only the evidence environments' parts are kept, until their documents are written
  const evidence = new EvidenceAssembler(input, deps.evidence?.environments ?? []);
  const csv = streamingUpload(deps.s3, { Bucket: deps.bucket, Key: keys.csv, ContentType: "text/csv; charset=utf-8" });
  try {
    await csv.write(findingsCsvHeader);
    const mapResults = mapRunResults((bucket, key) => readObjectText(deps.s3, bucket, key), input.results);
    for await (const step of inSteps(mapResults, RESULTS_PER_STEP)) {
      for (const { result, part } of await mapWithConcurrency(step, READS_IN_FLIGHT, (r) => loadTarget(deps, evidence, r))) {
        builder.add(result);
        evidence.add(result.target, part ? { part } : { unreachable: noEvidenceReason(result) });
        await csv.write(findingsCsvRows([...result.findings].sort(worstFirst)));
      }
    }
    await csv.end();
  } catch (error) {
    // no findings CSV of a part of the run: its multipart upload is aborted, and no JSON or HTML is written
    await csv.abort();
    throw error;
  }
  // the earlier runs: this run's change since the last one and the trend; what cannot be read is a warning of the report
  const past = deps.history && (await readPastRuns(deps.s3, deps.history.bucket, historyKey("environments", input), deps.history.runs - 1));
  const built = builder.report();
  const report = past && past.warnings.length > 0 ? { ...built, warnings: [...built.warnings, ...past.warnings] } : built;
  const trend = past && reportTrend(report, past.runs);
  const s3Path = (key: string) => `s3://${deps.bucket}/${key}`;
  const put = (Key: string, Body: string, ContentType: string) => deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key, Body, ContentType }));
  await Promise.all([
    put(keys.json, JSON.stringify(report), "application/json"),
    put(
      keys.html,
      reportHtml(
        report,
        {
          csv: s3Path(keys.csv),
          json: s3Path(keys.json),
          csvUrl: consoleUrl(deps.bucket, deps.region, keys.csv),
          jsonUrl: consoleUrl(deps.bucket, deps.region, keys.json),
        },
        trend,
      ),
      "text/html; charset=utf-8",
    ),
  ]);
  // after the report, before the evidence: a step retried for the evidence finds its history written (write-once) and goes on
  const history = deps.history ? await writeHistory(deps.s3, deps.history.bucket, report) : undefined;
  // after the report: a run whose evidence cannot be stored still has its report
  const evidenceKeys: string[] = [];
  if (deps.evidence) for (const document of evidence.documents()) evidenceKeys.push(await storeEvidence(deps.s3, deps.evidence.bucket, document));
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
    evidenceKeys,
    digestChannels: deps.digestChannels,
    allClear: deps.allClear,
    sendDigest: deps.digestChannels.length > 0 && (findings || deps.allClear),
    trend: { changes: trend?.changes ?? [], warnings: history?.warnings ?? [] },
  };
}
