import type { CatalogAccount, CatalogEnvironment, CatalogWindow, FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { nextRuns, type WindowSchedule } from "../../../contracts/maintenance-schedule.js";
import { shiftedSchedule } from "../../../contracts/wave-schedule.js";

/** One canary wave of an environment, as its accounts' windows run. */
export interface NoticeWave {
  readonly name: string;
  readonly delayHours: number;
}

/** A window run whose notice is due: its lead time has begun and the run has not started. */
export interface DueNotice {
  readonly environment: CatalogEnvironment;
  readonly window: CatalogWindow;
  /** The wave whose accounts this run patches; absent where the environment has no waves. */
  readonly wave?: NoticeWave;
  /** The accounts this run patches: the wave's, or every account of the environment. */
  readonly accounts: readonly CatalogAccount[];
  readonly runAt: Date;
}

const HOUR_MS = 3_600_000;

/** Runs looked at per window: enough for a window that runs more often than its lead time. */
const RUNS_LOOKED_AT = 200;

/** The environment's accounts by wave, in wave order (an account without one is in the last wave); one group without waves. */
function accountGroups(environment: CatalogEnvironment): { wave?: NoticeWave; accounts: CatalogAccount[] }[] {
  const waves = environment.waves;
  if (waves.length === 0) return [{ accounts: [...environment.accounts] }];
  const last = waves.at(-1)!.name;
  return waves
    .map((wave) => ({ wave, accounts: environment.accounts.filter((a) => (a.wave ?? last) === wave.name) }))
    .filter((group) => group.accounts.length > 0);
}

/** The window's schedule as a wave's accounts run it: delayed on the zone's clock as their stacks render it. */
function scheduleFor(window: CatalogWindow, wave: NoticeWave | undefined): WindowSchedule {
  const own: WindowSchedule = {
    schedule: window.schedule,
    timeZone: window.timeZone,
    ...(window.scheduleOffsetDays === undefined ? {} : { scheduleOffsetDays: window.scheduleOffsetDays }),
    ...(window.startDate === undefined ? {} : { startDate: window.startDate }),
    ...(window.endDate === undefined ? {} : { endDate: window.endDate }),
  };
  return wave && wave.delayHours > 0 ? shiftedSchedule(own, wave.delayHours) : own;
}

/** The freeze a run starts in, if any: the install runbook skips its instances, so nothing is announced. */
const frozen = (environment: CatalogEnvironment, runAt: Date) =>
  environment.freezes.some((f) => Date.parse(f.start) <= runAt.getTime() && runAt.getTime() < Date.parse(f.end));

/**
 * Every notice due at `now`: for each environment with a lead time and member accounts (without
 * accounts its windows are deployed nowhere), each enabled window that installs patches, each
 * canary wave with accounts (the window delayed by the wave's hours), each run that starts within
 * the lead time and not inside a change freeze. Runs are computed in the window's own time zone
 * (DST included) by the same schedule evaluation and wave shift as everywhere else.
 */
export function dueNotices(catalog: FleetCatalog, now: Date): DueNotice[] {
  const due: DueNotice[] = [];
  for (const environment of catalog.environments) {
    const leadMs = environment.noticeLeadHours * HOUR_MS;
    if (leadMs === 0 || environment.accounts.length === 0) continue;
    for (const window of environment.maintenanceWindows) {
      if (!window.enabled || !window.installs || window.patchGroups.length === 0) continue;
      for (const { wave, accounts } of accountGroups(environment)) {
        for (const runAt of nextRuns(scheduleFor(window, wave), now, RUNS_LOOKED_AT)) {
          if (runAt.getTime() - leadMs > now.getTime()) break;
          if (!frozen(environment, runAt)) due.push({ environment, window, ...(wave && { wave }), accounts, runAt });
        }
      }
    }
  }
  return due;
}

/** The idempotency key of one notice: environment, window, wave (where there are waves) and run. */
export const noticeId = (notice: DueNotice): string =>
  [notice.environment.name, notice.window.name, ...(notice.wave ? [notice.wave.name] : []), notice.runAt.toISOString()].join("#");

/** The run a notice id names (its last part; names and ISO times hold no "#"). */
export const runAtOf = (id: string): Date => new Date(id.slice(id.lastIndexOf("#") + 1));

/** The run's start as its window's time zone shows it, e.g. "Wed 2027-02-03 21:00 US/Central". */
export function localStart(window: CatalogWindow, runAt: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: window.timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(runAt)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${window.timeZone}`;
}
