import type { CatalogAccount, CatalogEnvironment, CatalogWindow, FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { freezeAt } from "../../../contracts/change-freeze.js";
import { nextRuns, windowSchedule } from "../../../contracts/maintenance-schedule.js";
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

/** The environment's accounts by wave, in wave order (the catalog names each account's wave); one group without waves. */
function accountGroups(environment: CatalogEnvironment): { wave?: NoticeWave; accounts: CatalogAccount[] }[] {
  if (environment.waves.length === 0) return [{ accounts: [...environment.accounts] }];
  return environment.waves
    .map((wave) => ({ wave, accounts: environment.accounts.filter((a) => a.wave === wave.name) }))
    .filter((group) => group.accounts.length > 0);
}

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
        // the window's schedule as the wave's accounts run it: delayed on the zone's clock as their stacks render it
        for (const runAt of nextRuns(shiftedSchedule(windowSchedule(window), wave?.delayHours ?? 0), now, RUNS_LOOKED_AT)) {
          if (runAt.getTime() - leadMs > now.getTime()) break;
          // a run that starts in a freeze patches nothing: the install runbook skips its instances
          if (!freezeAt(environment.freezes, runAt)) due.push({ environment, window, ...(wave && { wave }), accounts, runAt });
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
