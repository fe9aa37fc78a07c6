import type { CatalogEnvironment, CatalogWindow, FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { nextRuns } from "../../../contracts/maintenance-schedule.js";

/** A window run whose notice is due: its lead time has begun and the run has not started. */
export interface DueNotice {
  readonly environment: CatalogEnvironment;
  readonly window: CatalogWindow;
  readonly runAt: Date;
}

const HOUR_MS = 3_600_000;

/** Runs looked at per window: enough for a window that runs more often than its lead time. */
const RUNS_LOOKED_AT = 200;

/**
 * Every notice due at `now`: for each environment with a lead time and member accounts (without
 * accounts its windows are deployed nowhere), each enabled window that installs patches, each run
 * of it that starts within the lead time. Runs are computed in the
 * window's own time zone (DST included) by the same schedule evaluation as everywhere else.
 */
export function dueNotices(catalog: FleetCatalog, now: Date): DueNotice[] {
  const due: DueNotice[] = [];
  for (const environment of catalog.environments) {
    const leadMs = environment.noticeLeadHours * HOUR_MS;
    if (leadMs === 0 || environment.accounts.length === 0) continue;
    for (const window of environment.maintenanceWindows) {
      if (!window.enabled || !window.installs || window.patchGroups.length === 0) continue;
      for (const runAt of nextRuns(window, now, RUNS_LOOKED_AT)) {
        if (runAt.getTime() - leadMs > now.getTime()) break;
        due.push({ environment, window, runAt });
      }
    }
  }
  return due;
}

/** The idempotency key of one notice: environment, window and run. */
export const noticeId = (notice: DueNotice): string => `${notice.environment.name}#${notice.window.name}#${notice.runAt.toISOString()}`;

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
