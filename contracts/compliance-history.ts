/**
 * The compliance history: what each run's report step appends to the compliance data bucket, the
 * Athena tables over it (`history_environments`, `history_targets`) and what the report and the
 * digest compare a run with. One object per run and table, JSON lines, written once; keys begin
 * with the run's start time, so they sort by time.
 */

/** Everything the history holds is below this prefix of the compliance data bucket. */
export const HISTORY_PREFIX = "history/";

/** Where each table's objects are: the tables' locations. */
export const historyPrefixes = { environments: `${HISTORY_PREFIX}environments/`, targets: `${HISTORY_PREFIX}targets/` } as const;
export type HistoryTable = keyof typeof historyPrefixes;

/** A column's Athena type: counts are `int`, everything else `string`. */
export type HistoryColumnType = "string" | "int";

/** Columns of `history_environments`, in the order each line writes them: one line per environment of a run. */
export const historyEnvironmentColumns = {
  run_id: "string",
  started_at: "string",
  environment: "string",
  targets: "int",
  unreachable: "int",
  managed: "int",
  compliant: "int",
  non_compliant: "int",
  pending_reboot: "int",
  failed: "int",
  not_covered: "int",
  sla_breaches: "int",
} as const satisfies Record<string, HistoryColumnType>;

/** Columns of `history_targets`: one line per (account, region) of a run, unreachable ones with the reason. */
export const historyTargetColumns = {
  run_id: "string",
  started_at: "string",
  environment: "string",
  account_id: "string",
  account_name: "string",
  region: "string",
  status: "string",
  reason: "string",
  managed: "int",
  compliant: "int",
  non_compliant: "int",
  pending_reboot: "int",
  failed: "int",
  not_covered: "int",
  sla_breaches: "int",
} as const satisfies Record<string, HistoryColumnType>;

type Row<C extends Record<string, HistoryColumnType>> = { readonly [K in keyof C]: C[K] extends "int" ? number : string };

export type HistoryEnvironmentLine = Row<typeof historyEnvironmentColumns>;
/** `reason` is null for a target that was read (`ok`). */
export type HistoryTargetLine = Omit<Row<typeof historyTargetColumns>, "status" | "reason"> & {
  readonly status: "ok" | "unreachable";
  readonly reason: string | null;
};

/** A run's start time as its history keys begin: `YYYYMMDDTHHMMSSZ`, UTC, whole seconds. */
export function historyStamp(startedAt: string): string {
  const time = new Date(startedAt);
  if (Number.isNaN(time.getTime())) throw new Error(`"${startedAt}" is not a run's start time (ISO 8601)`);
  return time
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** The key of a run's object in one of the history tables: `history/<table>/<stamp>_<runId>.json`. */
export const historyKey = (table: HistoryTable, run: { readonly runId: string; readonly startedAt: string }): string =>
  `${historyPrefixes[table]}${historyStamp(run.startedAt)}_${run.runId}.json`;

/** A key of the environments table as runs name them, with the run's stamp and id. */
export const historyEnvironmentsKeyPattern = /^history\/environments\/(\d{8}T\d{6}Z)_([^/]+)\.json$/;

/** Where an environment stood at the end of a run: what the change since the last run compares. */
export interface EnvironmentStanding {
  /** Compliant of the managed instances, rounded down (as the report shows it); null without managed instances. */
  readonly compliancePercent: number | null;
  readonly managed: number;
  readonly nonCompliant: number;
  /** Account-regions that could not be read. */
  readonly unreachable: number;
  readonly notCovered: number;
  /** Account-regions of the environment in the run. */
  readonly targets: number;
}

/**
 * An environment of this run and the newest earlier run that had it (a run started by hand for
 * some environments has only those); no `previous` when this is its first run in the history read.
 */
export interface EnvironmentChange {
  readonly environment: string;
  readonly current: EnvironmentStanding;
  readonly previous?: EnvironmentStanding & { readonly runId: string; readonly startedAt: string };
}

/**
 * What the report step hands the digest besides the report: each environment's change since the
 * last run (one small entry per environment: the state stays far below Step Functions' 256 KB),
 * and what went wrong writing this run's history (after the report, so the report cannot say it).
 */
export interface RunTrend {
  readonly changes: readonly EnvironmentChange[];
  readonly warnings: readonly string[];
}
