import { readFileSync } from "node:fs";

/** What `plan-stacks` did, for `plan-review --summary` (JSON file). */
export interface PlanSummary {
  /** Stacks planned: changed or new since the base synth (every stack without a base). */
  readonly planned: readonly string[];
  /** Stacks of the base synth that the head no longer has: deploy leaves their resources in place. */
  readonly removed: readonly string[];
  /** Stacks whose synthesized files are identical to the base's: not planned. */
  readonly unchanged: readonly string[];
  /** Stacks whose init, plan or show failed, with the end of terraform's error output. */
  readonly failed: ReadonlyArray<{ readonly stack: string; readonly error: string }>;
}

export class SummaryFileError extends Error {
  override readonly name = "SummaryFileError";
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

export function readSummary(file: string): PlanSummary {
  let json: Partial<Record<keyof PlanSummary, unknown>>;
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as typeof json;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    throw new SummaryFileError(`${file}: not JSON (${(error as Error).message}); give the --summary file of npm run plan-stacks`);
  }
  const failedOk =
    Array.isArray(json.failed) &&
    json.failed.every((f) => typeof (f as { stack?: unknown }).stack === "string" && typeof (f as { error?: unknown }).error === "string");
  if (!isStringList(json.planned) || !isStringList(json.removed) || !isStringList(json.unchanged) || !failedOk) {
    throw new SummaryFileError(`${file}: not a plan summary (planned, removed, unchanged, failed); give the --summary file of npm run plan-stacks`);
  }
  return json as PlanSummary;
}
