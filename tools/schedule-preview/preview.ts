import { nextRuns } from "../../contracts/maintenance-schedule.js";
import type { OrgConfig } from "../../environments/schema/index.js";
import { localTime, utcOffset } from "../lib/run-times.js";
import { scheduleOf } from "./runs.js";

export interface RunTime {
  /** The instant, ISO-8601 in UTC. */
  readonly utc: string;
  /** Wall-clock time in the window's zone, e.g. `Wed 2026-12-02 21:00`. */
  readonly local: string;
  /** The zone's offset at that instant, e.g. `-06:00` (changes with daylight saving time). */
  readonly utcOffset: string;
}

export interface WindowPreview {
  readonly name: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly durationHours: number;
  readonly cutoffHours: number;
  readonly scheduleOffsetDays?: number;
  readonly enabled: boolean;
  readonly tasks: readonly ("scan" | "install")[];
  /** The next runs after `from`; empty for a disabled window or one whose end date has passed. */
  readonly runs: readonly RunTime[];
}

export interface EnvironmentPreview {
  readonly environment: string;
  /** The environment before it in the promotion order. */
  readonly previous?: string;
  readonly minDaysAfterPrevious?: number;
  readonly windows: readonly WindowPreview[];
}

export interface PreviewOptions {
  readonly from: Date;
  /** Runs per window. */
  readonly count: number;
  /** Only these environments (every environment when absent), listed in promotion order. */
  readonly environments?: readonly string[];
}

export function runTime(instant: Date, timeZone: string): RunTime {
  return { utc: instant.toISOString().replace(/\.000Z$/, "Z"), local: localTime(instant, timeZone), utcOffset: utcOffset(instant, timeZone) };
}

/** Every maintenance window of the selected environments with its next runs, in its zone and in UTC. */
export function previewSchedules(config: OrgConfig, options: PreviewOptions): EnvironmentPreview[] {
  return config.environments
    .map((env, i) => ({ env, previous: config.environments[i - 1]?.name }))
    .filter(({ env }) => options.environments === undefined || options.environments.includes(env.name))
    .map(({ env, previous }) => ({
      environment: env.name,
      ...(previous === undefined ? {} : { previous }),
      ...(env.minDaysAfterPrevious === undefined ? {} : { minDaysAfterPrevious: env.minDaysAfterPrevious }),
      windows: env.maintenanceWindows.map((window) => ({
        name: window.name,
        schedule: window.schedule,
        timeZone: window.timeZone,
        durationHours: window.durationHours,
        cutoffHours: window.cutoffHours,
        ...(window.scheduleOffsetDays === undefined ? {} : { scheduleOffsetDays: window.scheduleOffsetDays }),
        enabled: window.enabled,
        tasks: [...(window.scan ? (["scan"] as const) : []), ...(window.install ? (["install"] as const) : [])],
        runs: window.enabled ? nextRuns(scheduleOf(window), options.from, options.count).map((run) => runTime(run, window.timeZone)) : [],
      })),
    }));
}
