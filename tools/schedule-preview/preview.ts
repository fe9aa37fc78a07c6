import { nextRuns } from "../../contracts/maintenance-schedule.js";
import { wavesOf, type OrgConfig } from "../../environments/schema/index.js";
import { localTime, utcOffset } from "../lib/run-times.js";
import { scheduleOf, waveScheduleOf } from "./runs.js";
import { environmentFreezes } from "../../contracts/change-freeze.js";
import { freezeOfRun, type FreezeMark } from "./freezes.js";

export interface RunTime {
  /** The instant, ISO-8601 in UTC. */
  readonly utc: string;
  /** Wall-clock time in the window's zone, e.g. `Wed 2026-12-02 21:00`. */
  readonly local: string;
  /** The zone's offset at that instant, e.g. `-06:00` (changes with daylight saving time). */
  readonly utcOffset: string;
  /** An install run a change freeze stops (org.freezes, the environment's freezes). */
  readonly freeze?: FreezeMark;
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
  /** The next runs after `from`; empty for a disabled window or one whose end date has passed. With waves, the first wave's. */
  readonly runs: readonly RunTime[];
  /** In an environment with canary waves: each wave's accounts and runs, the first wave first. */
  readonly waves?: readonly WavePreview[];
}

/** One canary wave of a window: the schedule its accounts' stacks render, and its next runs. */
export interface WavePreview {
  readonly name: string;
  readonly delayHours: number;
  readonly accounts: readonly string[];
  readonly schedule: string;
  readonly scheduleOffsetDays?: number;
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

export function runTime(instant: Date, timeZone: string, freeze?: FreezeMark): RunTime {
  return {
    utc: instant.toISOString().replace(/\.000Z$/, "Z"),
    local: localTime(instant, timeZone),
    utcOffset: utcOffset(instant, timeZone),
    ...(freeze ? { freeze } : {}),
  };
}

/** Every maintenance window of the selected environments with its next runs, in its zone and in UTC. */
export function previewSchedules(config: OrgConfig, options: PreviewOptions): EnvironmentPreview[] {
  return config.environments
    .map((env, i) => ({ env, previous: config.environments[i - 1]?.name }))
    .filter(({ env }) => options.environments === undefined || options.environments.includes(env.name))
    .map(({ env, previous }) => ({ env, previous, freezes: environmentFreezes(config.org.freezes, env.name, env.freezes) }))
    .map(({ env, previous, freezes }) => ({
      environment: env.name,
      ...(previous === undefined ? {} : { previous }),
      ...(env.minDaysAfterPrevious === undefined ? {} : { minDaysAfterPrevious: env.minDaysAfterPrevious }),
      windows: env.maintenanceWindows.map((window) => {
        // a freeze stops the install task only: a window that only scans runs as usual
        const at = (run: Date) => runTime(run, window.timeZone, window.install ? freezeOfRun(run, window.durationHours, freezes) : undefined);
        return {
          name: window.name,
          schedule: window.schedule,
          timeZone: window.timeZone,
          durationHours: window.durationHours,
          cutoffHours: window.cutoffHours,
          ...(window.scheduleOffsetDays === undefined ? {} : { scheduleOffsetDays: window.scheduleOffsetDays }),
          enabled: window.enabled,
          tasks: [...(window.scan ? (["scan"] as const) : []), ...(window.install ? (["install"] as const) : [])],
          runs: window.enabled ? nextRuns(scheduleOf(window), options.from, options.count).map(at) : [],
          ...(env.waves === undefined
            ? {}
            : {
                waves: wavesOf(env).map(({ wave, accounts }) => {
                  // the same shift the account stacks render (stacks/member/maintenance-window.ts)
                  const schedule = waveScheduleOf(window, wave!.delayHours);
                  return {
                    name: wave!.name,
                    delayHours: wave!.delayHours,
                    accounts: accounts.map((a) => a.name),
                    schedule: schedule.schedule,
                    ...(schedule.scheduleOffsetDays === undefined ? {} : { scheduleOffsetDays: schedule.scheduleOffsetDays }),
                    runs: window.enabled ? nextRuns(schedule, options.from, options.count).map(at) : [],
                  };
                }),
              }),
        };
      }),
    }));
}
