import { readFileSync } from "node:fs";
import { jsonFiles } from "../lib/json-files.js";
import type { StackTimings } from "./plan.js";
import type { RegionMove } from "./region-moves.js";

/** What `plan-stacks` did, for `plan-review --summary` (JSON file). */
export interface PlanSummary {
  /** Stacks planned: changed or new since the base synth (every stack without a base); of this shard only with --shard. */
  readonly planned: readonly string[];
  /** Stacks of the base synth that the head no longer has: deploy leaves their resources in place. */
  readonly removed: readonly string[];
  /** Stacks whose synthesized files are identical to the base's: not planned. */
  readonly unchanged: readonly string[];
  /** Planned stacks whose plan has no changes (no plan file is written for them). */
  readonly withoutChanges?: readonly string[];
  /** Stacks whose init, plan or show failed, with the end of terraform's error output. */
  readonly failed: ReadonlyArray<{ readonly stack: string; readonly error: string }>;
  /** Regions that move between an account's stacks: their state must move before a deploy. */
  readonly regionMoves?: readonly RegionMove[];
  /** Seconds of each planned stack's terraform init, plan and show: where a review's time goes. */
  readonly timings?: Readonly<Record<string, StackTimings>>;
  /** With --shard: which shard this is, and every shard's stacks (to tell what a missing shard held). */
  readonly shard?: { readonly index: number; readonly count: number; readonly stacks: readonly (readonly string[])[] };
}

/** Shards whose summary is missing: their job failed before it reported. */
export interface MissingShard {
  readonly index: number;
  readonly count: number;
  readonly stacks: readonly string[];
}

/** The summaries of every shard as one, and the shards that did not report. */
export type MergedSummary = PlanSummary & { readonly missingShards: readonly MissingShard[] };

export class SummaryFileError extends Error {
  override readonly name = "SummaryFileError";
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
const GIVE = "give the --summary file of npm run plan-stacks";

function readOne(file: string): PlanSummary {
  let json: Partial<Record<keyof PlanSummary, unknown>>;
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as typeof json;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    throw new SummaryFileError(`${file}: not JSON (${(error as Error).message}); ${GIVE}`);
  }
  const failedOk =
    Array.isArray(json.failed) &&
    json.failed.every((f) => typeof (f as { stack?: unknown }).stack === "string" && typeof (f as { error?: unknown }).error === "string");
  const shard = json.shard as PlanSummary["shard"] | undefined;
  const shardOk =
    shard === undefined ||
    (Number.isInteger(shard.index) &&
      Number.isInteger(shard.count) &&
      shard.index >= 1 &&
      shard.index <= shard.count &&
      Array.isArray(shard.stacks) &&
      shard.stacks.length === shard.count &&
      shard.stacks.every(isStringList));
  if (
    !isStringList(json.planned) ||
    !isStringList(json.removed) ||
    !isStringList(json.unchanged) ||
    !(json.withoutChanges === undefined || isStringList(json.withoutChanges)) ||
    !failedOk ||
    !shardOk
  ) {
    throw new SummaryFileError(`${file}: not a plan summary (planned, removed, unchanged, failed); ${GIVE}`);
  }
  return json as PlanSummary;
}

/**
 * The summaries of one `plan-stacks` run, or of the shards of one matrix, as one: the planned,
 * failed and no-change stacks of every shard together. Shards must come from the same split (same
 * count and stacks); a shard without a summary is returned as missing, with the stacks it held.
 */
export function readSummaries(paths: readonly string[]): MergedSummary {
  // a folder: the summaries of every shard of a matrix
  const files = jsonFiles(paths);
  if (files.length === 0) throw new SummaryFileError(`${paths.join(", ")}: no summary files; ${GIVE}`);
  const summaries = files.map((file) => ({ file, summary: readOne(file) }));
  const [first] = summaries;
  const split = first!.summary.shard;
  const seen = new Set<number>();
  for (const { file, summary } of summaries) {
    const sameSplit = JSON.stringify(summary.shard?.stacks) === JSON.stringify(split?.stacks) && summary.shard?.count === split?.count;
    const sameSets = JSON.stringify([summary.removed, summary.unchanged]) === JSON.stringify([first!.summary.removed, first!.summary.unchanged]);
    if (!sameSplit || !sameSets)
      throw new SummaryFileError(`${file}: not from the same plan-stacks run as ${first!.file} (its shards, removed or unchanged stacks differ)`);
    if (summaries.length > 1 && !summary.shard) throw new SummaryFileError(`${file}: several summaries given, but this one is not of a shard (--shard k/n)`);
    if (summary.shard) {
      if (seen.has(summary.shard.index)) throw new SummaryFileError(`${file}: shard ${summary.shard.index}/${summary.shard.count} given twice`);
      seen.add(summary.shard.index);
    }
  }
  const all = summaries.map((s) => s.summary);
  const missing: MissingShard[] = split
    ? split.stacks.flatMap((stacks, i) => (seen.has(i + 1) ? [] : [{ index: i + 1, count: split.count, stacks: [...stacks] }]))
    : [];
  return {
    planned: all.flatMap((s) => s.planned).sort(),
    removed: first!.summary.removed,
    unchanged: first!.summary.unchanged,
    withoutChanges: all.flatMap((s) => s.withoutChanges ?? []).sort(),
    failed: all.flatMap((s) => s.failed).sort((a, b) => a.stack.localeCompare(b.stack)),
    regionMoves: all.flatMap((s) => s.regionMoves ?? []),
    timings: Object.fromEntries(all.flatMap((s) => Object.entries(s.timings ?? {})).sort(([a], [b]) => a.localeCompare(b))),
    missingShards: missing,
  };
}
