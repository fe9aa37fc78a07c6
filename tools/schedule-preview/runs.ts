import { nextRuns, windowSchedule, type WindowSchedule } from "../../contracts/maintenance-schedule.js";
import { shiftedSchedule } from "../../contracts/wave-schedule.js";
import type { MaintenanceWindow } from "../../environments/schema/index.js";

export const scheduleOf = (window: MaintenanceWindow): WindowSchedule => windowSchedule(window);

/** The window's schedule in the accounts of a wave `delayHours` after the first: what their stacks render. */
export const waveScheduleOf = (window: MaintenanceWindow, delayHours: number): WindowSchedule => shiftedSchedule(scheduleOf(window), delayHours);

/** A rate(1 hour) window over a year is 8,784 runs; more than this means a schedule the check cannot walk. */
const MAX_RUNS = 100_000;
const CHUNK = 500;

/** Every run of a window after `from` and up to `until`, in order; in a wave `delayHours` after the first, that wave's runs. */
export function runsBetween(window: MaintenanceWindow, from: Date, until: Date, delayHours = 0): Date[] {
  const runs: Date[] = [];
  const schedule = waveScheduleOf(window, delayHours);
  let cursor = from;
  for (;;) {
    const chunk = nextRuns(schedule, cursor, CHUNK);
    for (const run of chunk) {
      if (run.getTime() > until.getTime()) return runs;
      runs.push(run);
    }
    if (chunk.length < CHUNK) return runs;
    if (runs.length > MAX_RUNS) throw new Error(`window ${window.name}: more than ${MAX_RUNS} runs between ${from.toISOString()} and ${until.toISOString()}`);
    cursor = chunk[chunk.length - 1]!;
  }
}
