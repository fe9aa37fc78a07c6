import { nextRuns } from "../../contracts/maintenance-schedule.js";
import type { Environment, OrgConfig } from "../../environments/schema/index.js";
import { show } from "../../environments/schema/messages.js";
import { localTime } from "../lib/run-times.js";
import { runsBetween, waveScheduleOf } from "./runs.js";

const DAY_MS = 86_400_000;
/** How far back the run of the previous environment is looked for (a yearly window still has one). */
export const LOOKBACK_DAYS = 366;

/** One problem, as the schema reports them: the config path, the value and what is allowed. */
export interface ScheduleProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** The outcome for one pair of consecutive environments. */
export interface PromotionCheck {
  readonly earlier: string;
  readonly later: string;
  /** With canary waves: the earlier environment's last wave, whose runs the gap is measured from. */
  readonly earlierWave?: string;
  /** With canary waves: the later environment's first wave, whose runs are checked. */
  readonly laterWave?: string;
  /** The configured minimum; no check without it. */
  readonly minDays?: number;
  /** The shortest gap between a checked run and the earlier environment's run before it, in ms. */
  readonly shortestGapMs?: number;
  /** Install runs of the later environment that were checked. */
  readonly checkedRuns: number;
  readonly problems: readonly ScheduleProblem[];
}

interface InstallRun {
  readonly at: Date;
  readonly window: string;
  readonly timeZone: string;
}

/** `6 days 1 hour`, `2 days 11 hours`, `45 minutes` */
export function formatGap(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const parts = [
    [Math.floor(minutes / 1440), "day"],
    [Math.floor((minutes % 1440) / 60), "hour"],
    [minutes % 60, "minute"],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}${n === 1 ? "" : "s"}`);
  return text.length > 0 ? text.join(" ") : "0 minutes";
}

/** Only windows that run and install count: a scan changes nothing on an instance. */
const installWindows = (env: Environment) =>
  env.maintenanceWindows.map((window, index) => ({ window, index })).filter(({ window }) => window.enabled && window.install);

function checkPair(earlier: Environment & { name: string }, later: Environment & { name: string }, from: Date, count: number): PromotionCheck {
  const minDays = later.minDaysAfterPrevious;
  // soak time runs from the end of the earlier rollout to the start of the later one: the earlier
  // environment's last wave, the later one's first (which runs at the windows' own schedule)
  const earlierWave = earlier.waves?.at(-1);
  const laterWave = later.waves?.[0];
  const pair = {
    earlier: earlier.name,
    later: later.name,
    ...(earlierWave ? { earlierWave: earlierWave.name } : {}),
    ...(laterWave ? { laterWave: laterWave.name } : {}),
  };
  if (minDays === undefined) return { ...pair, checkedRuns: 0, problems: [] };
  const minMs = minDays * DAY_MS;
  const laterRuns = installWindows(later).map(({ window, index }) => ({
    window,
    index,
    runs: nextRuns(waveScheduleOf(window, laterWave?.delayHours ?? 0), from, count),
  }));
  const lastRun = Math.max(from.getTime(), ...laterRuns.flatMap((w) => w.runs.map((r) => r.getTime())));
  const firstRun = Math.min(lastRun, ...laterRuns.flatMap((w) => w.runs.map((r) => r.getTime())));
  const earlierRuns: InstallRun[] = installWindows(earlier)
    .flatMap(({ window }) =>
      runsBetween(window, new Date(firstRun - LOOKBACK_DAYS * DAY_MS), new Date(lastRun), earlierWave?.delayHours ?? 0).map((at) => ({
        at,
        window: earlierWave ? `${window.name}, wave ${earlierWave.name}` : window.name,
        timeZone: window.timeZone,
      })),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime());

  const problems: ScheduleProblem[] = [];
  let shortestGapMs: number | undefined;
  let checkedRuns = 0;
  const earlierRun = earlierWave ? `the install run of ${earlier.name}'s last wave (${earlierWave.name})` : `${earlier.name}'s install run`;
  const rule = `${later.name}.minDaysAfterPrevious requires at least ${minDays} day${minDays === 1 ? "" : "s"} after ${earlierRun}`;
  const laterRunsOf = laterWave ? ` (wave ${laterWave.name})` : "";
  for (const { window, index, runs } of laterRuns) {
    const violations: string[] = [];
    for (const run of runs) {
      checkedRuns++;
      const previous = earlierRuns.filter((r) => r.at.getTime() < run.getTime()).at(-1);
      const when = `${localTime(run, window.timeZone)} ${window.timeZone}${laterRunsOf}`;
      if (!previous) {
        violations.push(
          `runs ${when} with no ${earlierWave ? `install run of ${earlier.name}'s wave ${earlierWave.name}` : `${earlier.name} install run`} in the ${LOOKBACK_DAYS} days before it`,
        );
        continue;
      }
      const gap = run.getTime() - previous.at.getTime();
      shortestGapMs = Math.min(shortestGapMs ?? gap, gap);
      if (gap < minMs)
        violations.push(
          `runs ${when}, ${formatGap(gap)} after ${earlier.name}'s run ${localTime(previous.at, previous.timeZone)} ${previous.timeZone} (${previous.window})`,
        );
    }
    if (violations.length === 0) continue;
    const more = violations.length > 1 ? ` (${violations.length} of its next ${runs.length} runs; the first shown)` : "";
    problems.push({ path: [later.name, "maintenanceWindows", index, "schedule"], message: `${show(window.schedule)} ${violations[0]}${more}; ${rule}` });
  }
  return { ...pair, minDays, ...(shortestGapMs === undefined ? {} : { shortestGapMs }), checkedRuns, problems };
}

/**
 * The promotion order in time: for each environment after the first that sets
 * `minDaysAfterPrevious`, each of the next `count` install runs of its windows must come at least
 * that many days (24-hour periods of elapsed time, so a daylight-saving switch in between counts
 * with its hour) after the latest install run of the environment before it. With canary waves,
 * from the earlier environment's last wave to the later one's first: the soak is the time between
 * the whole earlier rollout and the first account of the next.
 */
export function checkPromotionInTime(config: OrgConfig, from: Date, count: number): PromotionCheck[] {
  return config.environments.slice(1).map((later, i) => checkPair(config.environments[i]!, later, from, count));
}
