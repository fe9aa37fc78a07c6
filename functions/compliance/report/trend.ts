import type { EnvironmentChange, EnvironmentStanding, HistoryEnvironmentLine } from "../../../contracts/compliance-history.js";
import type { ComplianceReport } from "../../../contracts/compliance-model.js";
import { percentCompliant } from "./chart.js";
import { historyEnvironmentLines } from "./history.js";
import type { PastRun } from "./history-read.js";

/** Where an environment stood in a run's line: compliance rounded down, as the report shows it. */
export function standingOf(line: HistoryEnvironmentLine): EnvironmentStanding {
  return {
    compliancePercent: percentCompliant(line) ?? null,
    managed: line.managed,
    nonCompliant: line.non_compliant,
    unreachable: line.unreachable,
    notCovered: line.not_covered,
    targets: line.targets,
  };
}

/** One run of the trend: its start and each of its environments' standing. */
export interface TrendRun {
  readonly runId: string;
  readonly startedAt: string;
  readonly environments: ReadonlyMap<string, EnvironmentStanding>;
}

const trendRun = (runId: string, startedAt: string, lines: readonly HistoryEnvironmentLine[]): TrendRun => ({
  runId,
  startedAt,
  environments: new Map(lines.map((line) => [line.environment, standingOf(line)])),
});

/** What the report shows of the history: the runs of the chart, each environment's change, environments this run left out. */
export interface ReportTrend {
  /** The earlier runs read and this one, oldest first: at most `trendRuns`. */
  readonly runs: readonly TrendRun[];
  /** This run's environments, in the report's order. */
  readonly environments: readonly string[];
  readonly changes: readonly EnvironmentChange[];
  /** Environments of the earlier runs that this run did not collect (a run for some environments, or one removed from config). */
  readonly notInThisRun: readonly { readonly environment: string; readonly lastRunAt: string }[];
}

/**
 * Compares the run with the earlier runs: each environment of this run with the newest earlier run
 * that had it (none: its first run in the history), and lists the environments earlier runs had
 * and this one has not.
 */
export function reportTrend(report: ComplianceReport, past: readonly PastRun[]): ReportTrend {
  const current = trendRun(report.runId, report.startedAt, historyEnvironmentLines(report));
  const earlier = past.map((run) => trendRun(run.runId, run.startedAt, run.environments));
  const newestFirst = [...earlier].reverse();
  const changes = [...current.environments].map(([environment, standing]): EnvironmentChange => {
    const last = newestFirst.find((run) => run.environments.has(environment));
    return last
      ? { environment, current: standing, previous: { ...last.environments.get(environment)!, runId: last.runId, startedAt: last.startedAt } }
      : { environment, current: standing };
  });
  const lastSeen = new Map<string, string>();
  for (const run of earlier)
    for (const environment of run.environments.keys()) if (!current.environments.has(environment)) lastSeen.set(environment, run.startedAt);
  return {
    runs: [...earlier, current],
    environments: [...current.environments.keys()],
    changes,
    notInThisRun: [...lastSeen].sort(([a], [b]) => a.localeCompare(b)).map(([environment, lastRunAt]) => ({ environment, lastRunAt })),
  };
}
