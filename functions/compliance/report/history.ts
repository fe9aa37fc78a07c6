import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { historyKey, type HistoryEnvironmentLine, type HistoryTable, type HistoryTargetLine } from "../../../contracts/compliance-history.js";
import type { ComplianceReport, TargetCounts } from "../../../contracts/compliance-model.js";
import { readObjectText } from "../../shared/clients/s3.js";
import { asError } from "../../shared/errors.js";

const countColumns = (c: TargetCounts) => ({
  managed: c.managed,
  compliant: c.compliant,
  non_compliant: c.nonCompliant,
  pending_reboot: c.pendingReboot,
  failed: c.failed,
  not_covered: c.notCovered,
  sla_breaches: c.slaBreaches,
});

/** One line per environment of the run, in the report's order. */
export function historyEnvironmentLines(report: ComplianceReport): HistoryEnvironmentLine[] {
  return report.environments.map((env) => {
    const regions = env.accounts.flatMap((a) => a.regions);
    return {
      run_id: report.runId,
      started_at: report.startedAt,
      environment: env.name,
      targets: regions.length,
      unreachable: regions.filter((r) => r.status === "unreachable").length,
      ...countColumns(env.counts),
    };
  });
}

/** One line per (account, region) of the run, unreachable ones with the reason, in the report's order. */
export function* historyTargetLines(report: ComplianceReport): Generator<HistoryTargetLine> {
  for (const env of report.environments)
    for (const account of env.accounts)
      for (const region of account.regions)
        yield {
          run_id: report.runId,
          started_at: report.startedAt,
          environment: env.name,
          account_id: account.accountId,
          account_name: account.accountName,
          region: region.region,
          status: region.status,
          reason: region.status === "ok" ? null : (region.reason ?? "unreachable"),
          ...countColumns(region.counts),
        };
}

/** JSON lines: one object per line, each line ending in a newline (an empty run is an empty object). */
export function jsonLines(lines: Iterable<object>): string {
  let text = "";
  for (const line of lines) text += `${JSON.stringify(line)}\n`;
  return text;
}

const statusOf = (thrown: unknown) => (thrown as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/**
 * Writes one history object once (If-None-Match: *; the bucket refuses history writes without it).
 * When it exists, it is read back: the same text is this run's own write from an attempt of the
 * step that failed later (the lines follow from the same results); other text is left as it is.
 * Returns the problem in words, or nothing when the object holds this run's lines.
 */
async function writeOnce(s3: S3Client, bucket: string, key: string, body: string): Promise<string | undefined> {
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "application/x-ndjson", IfNoneMatch: "*" }));
    return undefined;
  } catch (thrown) {
    const error = asError(thrown);
    if (statusOf(thrown) !== 412 && error.name !== "PreconditionFailed") return `${error.name}: ${error.message}`;
  }
  try {
    if ((await readObjectText(s3, bucket, key)) === body) return undefined;
    return "it exists with other lines, which are kept";
  } catch (thrown) {
    const error = asError(thrown);
    return `it exists and could not be read back: ${error.name}: ${error.message}`;
  }
}

export interface HistoryWritten {
  readonly keys: Readonly<Record<HistoryTable, string>>;
  /** What could not be written, in words for the digest; empty when both objects hold the run. */
  readonly warnings: readonly string[];
}

/**
 * Appends the run to the history, after its report: its environments' and its targets' lines, one
 * object each. A failure does not fail the step (the report is written, the digest still goes
 * out); it comes back as a warning, and the trend lacks this run.
 */
export async function writeHistory(s3: S3Client, bucket: string, report: ComplianceReport): Promise<HistoryWritten> {
  const keys = { environments: historyKey("environments", report), targets: historyKey("targets", report) };
  // the targets' lines as one text: about 330 bytes each, 10 MB at 30,000 account-regions, which the report's own lines outweigh
  const bodies = { environments: jsonLines(historyEnvironmentLines(report)), targets: jsonLines(historyTargetLines(report)) };
  const tables = ["environments", "targets"] as const;
  const lacking = { environments: "the trend and history_environments lack this run", targets: "history_targets lacks this run" };
  const problems = await Promise.all(tables.map((table) => writeOnce(s3, bucket, keys[table], bodies[table])));
  const warnings = tables.flatMap((table, i) =>
    problems[i] === undefined ? [] : [`history not written to s3://${bucket}/${keys[table]} (${problems[i]}): ${lacking[table]}`],
  );
  return { keys, warnings };
}
