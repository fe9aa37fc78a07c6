import { contractTables, MISSING_PATCHES_RUN_DATE, type ContractColumn, type ContractTable } from "./contract.js";
import { latestRunsCte, recentRunDates } from "../latest-run.js";

/** QuickSight's types of a data set's input columns (the ones these data sets use). */
export type InputColumnType = "STRING" | "INTEGER" | "DATETIME";

/** The QuickSight type a contract column keeps when a data set passes it through unchanged. */
export const passThroughType = { string: "STRING", int: "INTEGER" } as const;

/** A column of a data set: its name (the SQL's alias), its QuickSight type and its SQL expression. */
export interface DataSetColumn {
  readonly name: string;
  readonly type: InputColumnType;
  readonly sql: string;
  /** The contract column it passes through unchanged, if it does: its type must match. */
  readonly passes?: { readonly table: ContractTable; readonly column: string };
}

/** One data set: an Athena query over the contract's tables (custom SQL) and its declared columns. */
export interface DataSetSpec {
  /** Its identifier in the definition and the suffix of its id. */
  readonly key: DataSetKey;
  readonly name: string;
  readonly columns: readonly DataSetColumn[];
  /** Every contract column the query reads (select list, join, filter), as `table.column`. */
  readonly reads: readonly string[];
  readonly sql: string;
}

export const dataSetKeys = ["run_summaries", "target_results", "missing_patches"] as const;
export type DataSetKey = (typeof dataSetKeys)[number];

/**
 * Collects the contract columns a query reads: every column reference in the SQL goes through
 * `column`, which takes only the contract's column names of the table (a typo does not compile).
 */
class Query {
  private readonly used = new Set<string>();
  constructor(private readonly database: string) {}

  /** The table's qualified name and an accessor for its columns under `alias`. */
  table<T extends ContractTable>(table: T, alias: string): { readonly from: string; readonly column: (name: ContractColumn<T>) => string } {
    return {
      from: `"${this.database}"."${table}" ${alias}`,
      column: (name) => {
        this.used.add(`${table}.${name}`);
        return `${alias}.${name}`;
      },
    };
  }

  get reads(): string[] {
    return [...this.used].sort();
  }
}

/** Each environment's latest run (../latest-run.ts, shared with the named queries), its columns read through `q`. */
function latestRuns(q: Query): string {
  const h = q.table("history_environments", "h");
  return latestRunsCte({ from: h.from, environment: h.column("environment"), runId: h.column("run_id"), startedAt: h.column("started_at") });
}

const pass = <T extends ContractTable>(t: { column: (name: ContractColumn<T>) => string }, table: T, name: ContractColumn<T>): DataSetColumn => {
  const athenaType = (contractTables[table] as Readonly<Record<string, string>>)[name];
  if (athenaType !== "string" && athenaType !== "int") throw new Error(`${table}.${name} is ${athenaType}: only string and int columns pass through unchanged`);
  return { name, type: passThroughType[athenaType], sql: t.column(name), passes: { table, column: name } };
};
/** ISO 8601 text (`…Z`) as a timestamp without zone (QuickSight reads no zoned timestamps), in UTC. */
const timestamp = (name: string, sql: string): DataSetColumn => ({ name, type: "DATETIME", sql: `CAST(from_iso8601_timestamp(${sql}) AS timestamp)` });

const countColumns = ["managed", "compliant", "non_compliant", "pending_reboot", "failed", "not_covered", "sla_breaches"] as const;

function select(columns: readonly DataSetColumn[]): string {
  return columns.map((c) => `${c.sql} AS ${c.name}`).join(",\n       ");
}

/** Run summaries: one row per environment and run (history_environments), the latest run of each flagged. */
function runSummaries(database: string): DataSetSpec {
  const q = new Query(database);
  const t = q.table("history_environments", "t");
  const latest = latestRuns(q);
  const columns: DataSetColumn[] = [
    pass(t, "history_environments", "run_id"),
    timestamp("started_at", t.column("started_at")),
    pass(t, "history_environments", "environment"),
    pass(t, "history_environments", "targets"),
    pass(t, "history_environments", "unreachable"),
    ...countColumns.map((c) => pass(t, "history_environments", c)),
    { name: "latest_run", type: "INTEGER", sql: `CASE WHEN ${t.column("run_id")} = l.run_id THEN 1 ELSE 0 END` },
  ];
  const sql = `WITH ${latest}\nSELECT ${select(columns)}\nFROM ${t.from}\nLEFT JOIN latest l ON l.environment = ${t.column("environment")}`;
  return { key: "run_summaries", name: "compliance run summaries", columns, reads: q.reads, sql };
}

/** Target results: one row per account-region and run (history_targets), unreachable ones with the reason. */
function targetResults(database: string): DataSetSpec {
  const q = new Query(database);
  const t = q.table("history_targets", "t");
  const latest = latestRuns(q);
  const columns: DataSetColumn[] = [
    pass(t, "history_targets", "run_id"),
    timestamp("started_at", t.column("started_at")),
    ...(["environment", "account_id", "account_name", "region", "status", "reason"] as const).map((c) => pass(t, "history_targets", c)),
    ...countColumns.map((c) => pass(t, "history_targets", c)),
    { name: "latest_run", type: "INTEGER", sql: `CASE WHEN ${t.column("run_id")} = l.run_id THEN 1 ELSE 0 END` },
  ];
  const sql = `WITH ${latest}\nSELECT ${select(columns)}\nFROM ${t.from}\nLEFT JOIN latest l ON l.environment = ${t.column("environment")}`;
  return { key: "target_results", name: "compliance target results", columns, reads: q.reads, sql };
}

/** Age buckets of a missing patch, in order; the rank sorts them on a chart. */
export const ageBuckets = [
  { label: "0-30 days", upTo: 30 },
  { label: "31-60 days", upTo: 60 },
  { label: "61-90 days", upTo: 90 },
  { label: "91-180 days", upTo: 180 },
  { label: "over 180 days", upTo: undefined },
] as const;
export const UNKNOWN_AGE = "age unknown";

/** Missing and failed patches of each environment's latest run (missing_patches), with age bucket and SLA status. */
function missingPatches(database: string): DataSetSpec {
  const q = new Query(database);
  const t = q.table("missing_patches", "t");
  const latest = latestRuns(q);
  const age = t.column("age_days");
  const bucket = (pick: (b: (typeof ageBuckets)[number], rank: number) => string, unknown: string) =>
    `CASE WHEN ${age} IS NULL THEN ${unknown} ${ageBuckets.map((b, i) => (b.upTo === undefined ? `ELSE ${pick(b, i + 1)}` : `WHEN ${age} <= ${b.upTo} THEN ${pick(b, i + 1)}`)).join(" ")} END`;
  const passed = (["run_id", "environment", "account_id", "account_name", "region", "instance_id", "instance_name", "patch_group", "patch_id"] as const).map(
    (c) => pass(t, "missing_patches", c),
  );
  const details = (["title", "classification", "severity", "state", "cve_ids", "age_days", "sla_days"] as const).map((c) => pass(t, "missing_patches", c));
  const breach = t.column("breach");
  const columns: DataSetColumn[] = [
    ...passed,
    timestamp("collected_at", t.column("collected_at")),
    ...details,
    // a date QuickSight can sort and format; malformed text becomes null rather than failing the query
    { name: "release_date", type: "DATETIME", sql: `try(CAST(from_iso8601_date(${t.column("release_date")}) AS timestamp))` },
    { name: "age_bucket", type: "STRING", sql: bucket((b) => `'${b.label}'`, `'${UNKNOWN_AGE}'`) },
    { name: "age_rank", type: "INTEGER", sql: bucket((_b, rank) => String(rank), String(ageBuckets.length + 1)) },
    { name: "sla_status", type: "STRING", sql: `CASE WHEN ${t.column("sla_days")} IS NULL THEN 'no SLA' WHEN ${breach} THEN 'past SLA' ELSE 'within SLA' END` },
    { name: "past_sla", type: "INTEGER", sql: `CASE WHEN ${breach} THEN 1 ELSE 0 END` },
  ];
  // the partition filter keeps the scan to the last weeks' partitions (projection prunes by it); the join picks the latest runs
  const sql = `WITH ${latest}\nSELECT ${select(columns)}\nFROM ${t.from}\nJOIN latest l ON l.environment = ${t.column("environment")} AND l.run_id = ${t.column("run_id")}\nWHERE ${recentRunDates(t.column(MISSING_PATCHES_RUN_DATE))}`;
  return { key: "missing_patches", name: "missing patches (latest run)", columns, reads: q.reads, sql };
}

/** The dashboard's data sets, over the Glue database of the compliance data. */
export function dataSetSpecs(database: string): Record<DataSetKey, DataSetSpec> {
  return { run_summaries: runSummaries(database), target_results: targetResults(database), missing_patches: missingPatches(database) };
}
