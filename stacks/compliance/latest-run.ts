/**
 * "The latest run of each environment", written once for every query that reads it: the named
 * queries of the analytics workgroup (queries.ts) and the QuickSight data sets
 * (quicksight/data-sets.ts). Both must show the same run, or the dashboard and the queries would
 * disagree about what is missing now.
 */

/**
 * Days of `missing_patches` partitions a latest-run query reads: a run's lines are in the partition
 * of its start date, so the latest run of a daily, weekly or monthly schedule is within them, and
 * reading only recent partitions keeps a query far below the workgroups' scan cap however long the
 * table's history. An environment whose latest run is older shows no missing patches.
 */
export const LATEST_RUN_WINDOW_DAYS = 35;

/** The columns of `history_environments` the latest-run CTE reads, as the query names them (alias or not). */
export interface HistoryEnvironmentsRef {
  /** The table as the FROM clause names it (with alias, if any). */
  readonly from: string;
  readonly environment: string;
  readonly runId: string;
  readonly startedAt: string;
}

/**
 * The CTE `latest (environment, run_id)`: each environment's newest run in `history_environments`,
 * by its start time. history_environments has a line per environment and run whether anything was
 * missing or not, so an environment whose latest run found nothing missing shows nothing rather than
 * an earlier run's patches; and a run started by hand for some environments is the latest of those
 * only, the others keep their last full run.
 */
export function latestRunsCte(h: HistoryEnvironmentsRef): string {
  return `latest AS (SELECT ${h.environment} AS environment, max_by(${h.runId}, from_iso8601_timestamp(${h.startedAt})) AS run_id FROM ${h.from} GROUP BY ${h.environment})`;
}

/** The partition filter that keeps a `missing_patches` query to the last LATEST_RUN_WINDOW_DAYS days (projection prunes by it). */
export function recentRunDates(runDate: string): string {
  return `${runDate} >= date_format(date_add('day', -${LATEST_RUN_WINDOW_DAYS}, current_date), '%Y-%m-%d')`;
}
