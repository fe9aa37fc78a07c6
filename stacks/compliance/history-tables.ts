import {
  historyEnvironmentColumns,
  historyPrefixes,
  historyTargetColumns,
  type HistoryColumnType,
  type HistoryTable,
} from "../../contracts/compliance-history.js";
import type { NamedQuery } from "./queries.js";

/** A Glue table over one of the history's prefixes: its columns are the lines' fields, typed as the contract says. */
export interface HistoryTableDefinition {
  readonly name: `history_${HistoryTable}`;
  readonly description: string;
  readonly prefix: string;
  readonly columns: readonly { readonly name: string; readonly type: HistoryColumnType }[];
}

const columnsOf = (columns: Readonly<Record<string, HistoryColumnType>>) => Object.entries(columns).map(([name, type]) => ({ name, type }));

/**
 * The run history's tables: one object per run, JSON lines, no partitions (a few runs a week make
 * a few hundred objects a year; the workgroup caps what a query scans).
 */
export const historyTables: readonly HistoryTableDefinition[] = [
  {
    name: "history_environments",
    description: "patchline: one line per environment and compliance run (the report step's totals)",
    prefix: historyPrefixes.environments,
    columns: columnsOf(historyEnvironmentColumns),
  },
  {
    name: "history_targets",
    description: "patchline: one line per account-region and compliance run, unreachable ones with the reason",
    prefix: historyPrefixes.targets,
    columns: columnsOf(historyTargetColumns),
  },
];

/** Named queries over the history. Percentages in whole numbers rounded down, as the report shows them (integer division). */
export const historyQueries: readonly NamedQuery[] = [
  {
    name: "compliance-per-environment-over-time",
    description: "Compliance percent and counts per environment, run by run, oldest first (the report's trend, for any span)",
    sql: `SELECT environment, from_iso8601_timestamp(started_at) AS started_at, run_id,
       CASE WHEN managed = 0 THEN NULL ELSE (100 * compliant) / managed END AS compliance_percent,
       managed, compliant, non_compliant, pending_reboot, failed, not_covered, sla_breaches, targets, unreachable
FROM history_environments
ORDER BY environment, from_iso8601_timestamp(started_at)`,
  },
];
