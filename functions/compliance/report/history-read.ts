import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import * as z from "zod/mini";
import {
  historyEnvironmentColumns,
  historyEnvironmentsKeyPattern,
  historyPrefixes,
  type HistoryColumnType,
  type HistoryEnvironmentLine,
} from "../../../contracts/compliance-history.js";
import { describeIssues } from "../../../contracts/zod-issues.js";
import { readObjectText } from "../../shared/clients/s3.js";
import { mapWithConcurrency } from "../../shared/concurrency.js";
import { asError } from "../../shared/errors.js";

/** An earlier run as the history has it: its environments' lines. */
export interface PastRun {
  readonly key: string;
  readonly runId: string;
  /** From the key: the run's start, to the second. */
  readonly startedAt: string;
  readonly environments: readonly HistoryEnvironmentLine[];
}

/** A line of `history_environments`: every column, counts whole and not negative; columns added later are ignored. */
const columnSchema = (type: HistoryColumnType) => (type === "int" ? z.int().check(z.nonnegative()) : z.string());
const lineSchema = z.object(
  Object.fromEntries(Object.entries(historyEnvironmentColumns).map(([name, type]) => [name, columnSchema(type)])) as Record<
    keyof typeof historyEnvironmentColumns,
    ReturnType<typeof columnSchema>
  >,
);

/** `20261130T070000Z` → `2026-11-30T07:00:00Z`. */
const isoOfStamp = (stamp: string) =>
  `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;

/** One run's object: every line a line of the table, of the run its key names. Throws saying what is wrong. */
export function parsePastRun(key: string, text: string): PastRun {
  const [, stamp, runId] = historyEnvironmentsKeyPattern.exec(key) ?? [];
  if (!stamp || !runId) throw new Error(`${key} is not named <start>_<run>.json`);
  const environments = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, n) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`line ${n + 1} is not JSON`);
      }
      const parsed = lineSchema.safeParse(json);
      if (!parsed.success) throw new Error(`line ${n + 1}: ${describeIssues(parsed.error.issues)}`);
      const value = parsed.data as HistoryEnvironmentLine;
      if (value.run_id !== runId) throw new Error(`line ${n + 1} is of run ${value.run_id}, the key of run ${runId}`);
      return value;
    });
  return { key, runId, startedAt: isoOfStamp(stamp), environments };
}

/** Objects read at once: a handful of small objects, at most a year of daily runs. */
const READS_IN_FLIGHT = 8;

export interface PastRuns {
  /** Oldest first. */
  readonly runs: readonly PastRun[];
  /** Objects left out (unreadable, malformed) or a history that could not be listed, in words for the report. */
  readonly warnings: readonly string[];
}

/**
 * The newest `count` runs before this one (keys sort by start time; this run's own key and any of
 * runs started later are left out, so a retried step does not compare the run with itself). Lists
 * the environments table's prefix to the end (a key a day is two pages in three years) keeping only
 * the newest keys. An object that cannot be read or is not the table's lines is left out with a
 * warning: a damaged record of an earlier run costs the trend a point, not the run its report.
 */
export async function readPastRuns(s3: S3Client, bucket: string, before: string, count: number): Promise<PastRuns> {
  const where = (key: string) => `s3://${bucket}/${key}`;
  const warnings: string[] = [];
  let keys: string[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: historyPrefixes.environments })) {
      for (const { Key: key } of page.Contents ?? []) {
        if (key === undefined) continue;
        if (!historyEnvironmentsKeyPattern.test(key)) {
          warnings.push(`${where(key)} is not a run's history (<start>_<run>.json) and was left out of the trend`);
          continue;
        }
        if (key >= before) continue;
        keys.push(key);
        // only the newest `count` stay: the listing is in key order, oldest first
        if (keys.length > 2 * count) keys = keys.slice(-count);
      }
    }
  } catch (thrown) {
    const error = asError(thrown);
    return { runs: [], warnings: [`the run history (${where(historyPrefixes.environments)}) could not be listed, ${error.name}: ${error.message}; no trend`] };
  }
  const read = await mapWithConcurrency(keys.slice(-count), READS_IN_FLIGHT, async (key) => {
    try {
      return parsePastRun(key, await readObjectText(s3, bucket, key));
    } catch (thrown) {
      const error = asError(thrown);
      warnings.push(`${where(key)} was left out of the trend: ${error.name === "Error" ? "" : `${error.name}: `}${error.message}`);
      return undefined;
    }
  });
  return { runs: read.filter((run): run is PastRun => run !== undefined), warnings };
}
