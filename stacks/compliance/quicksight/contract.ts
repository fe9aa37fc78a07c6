import { historyEnvironmentColumns, historyTargetColumns } from "../../../contracts/compliance-history.js";
import { MISSING_PATCHES_PARTITION, missingPatchColumns } from "../../../contracts/patch-sla.js";

/**
 * The tables the dashboard reads, as the shared data contract of issue 16 names them (the report
 * step writes the history, the collector the missing patches; analytics.ts declares them in Glue):
 * table → column → Athena type. The data sets (data-sets.ts) may read only these columns.
 */
export const contractTables = {
  history_environments: historyEnvironmentColumns,
  history_targets: historyTargetColumns,
  // the partition column is a column of the table for Athena: queries prune by it
  missing_patches: { ...missingPatchColumns, [MISSING_PATCHES_PARTITION]: "string" },
} as const satisfies Record<string, Readonly<Record<string, "string" | "int" | "boolean">>>;

export type ContractTable = keyof typeof contractTables;
export type ContractColumn<T extends ContractTable> = keyof (typeof contractTables)[T] & string;

/** The partition column of `missing_patches` (`run_date`, `YYYY-MM-DD`, partition projection of type date). */
export const MISSING_PATCHES_RUN_DATE = MISSING_PATCHES_PARTITION;
