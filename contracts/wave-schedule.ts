import { fromWallClock, toWallClock, utcOffset, windowSchedule, type WindowSchedule } from "./maintenance-schedule.js";

/**
 * Canary waves: the accounts of an environment patch in waves, each wave's windows a fixed number
 * of hours after the first wave's. SSM has no "run N hours later" for a window, so the delay is
 * rendered into the window's own schedule: the hours within a day move the cron's hour field, the
 * whole days go to SSM's ScheduleOffset (days after the cron date, 1-6). SSM evaluates both in the
 * window's time zone, so a wave runs at the first wave's local time plus the delay on the local
 * clock, whatever daylight saving time does in between; and day-of-week rules (`TUE#2`, `5L`)
 * keep meaning "Patch Tuesday, then N days", because the cron date is never rewritten.
 */

/** SSM's ScheduleOffset range: the shifted run may be at most this many days after the cron date. */
export const MAX_SCHEDULE_OFFSET_DAYS = 6;
/** The longest delay any window can take: six days of offset plus 23 hours within the day. */
export const MAX_WAVE_DELAY_HOURS = MAX_SCHEDULE_OFFSET_DAYS * 24 + 23;

const HOUR_MS = 3_600_000;

export type ShiftResult = { readonly schedule: WindowSchedule } | { readonly problem: string };

/**
 * The schedule that runs `delayHours` after `window`, or why SSM cannot express it. Each run of the
 * result is the window's run at the same cron date, `delayHours` later on the zone's clock (a
 * 21:00 run with 6 h becomes 03:00 the next day, one more day of offset). The start and end dates
 * move by the same delay, so every run of the first wave inside them has its later run, and no
 * later run comes without the first wave's before it.
 */
export function shiftSchedule(window: WindowSchedule, delayHours: number): ShiftResult {
  if (!Number.isInteger(delayHours) || delayHours < 0 || delayHours > MAX_WAVE_DELAY_HOURS)
    return { problem: `${delayHours} is not a delay: a whole number of hours from 0 to ${MAX_WAVE_DELAY_HOURS}` };
  if (delayHours === 0) return { schedule: windowSchedule(window) };
  const cron = /^cron\((.*)\)$/.exec(window.schedule);
  if (!cron) return { problem: `${JSON.stringify(window.schedule)} is not a cron schedule: SSM offsets cron schedules only, so no wave can run it later` };
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) return { problem: `${JSON.stringify(window.schedule)} does not have the six fields of an AWS cron expression` };

  let days = Math.floor(delayHours / 24);
  const withinDay = delayHours % 24;
  let schedule = window.schedule;
  if (withinDay > 0) {
    const hourField = fields[1]!;
    const hour = /^\d{1,2}$/.test(hourField) ? Number(hourField) : Number.NaN;
    if (!(hour >= 0 && hour <= 23))
      return {
        problem: `the hour field ${JSON.stringify(hourField)} of ${JSON.stringify(window.schedule)} is not a single hour; a delay of ${delayHours} h moves the start within the day, which needs one start hour (a delay in whole days, a multiple of 24 h, works with any hour field)`,
      };
    days += Math.floor((hour + withinDay) / 24);
    fields[1] = String((hour + withinDay) % 24);
    schedule = `cron(${fields.join(" ")})`;
  }
  const offset = (window.scheduleOffsetDays ?? 0) + days;
  if (offset > MAX_SCHEDULE_OFFSET_DAYS) {
    const base = window.scheduleOffsetDays ?? 0;
    const parts = `${days} from the delay${base > 0 ? ` and ${base} of scheduleOffsetDays` : ""}`;
    return {
      problem: `${delayHours} h after ${JSON.stringify(window.schedule)}${base > 0 ? ` + ${base} days` : ""} is ${offset} days after the cron date (${parts}); SSM's schedule offset is at most ${MAX_SCHEDULE_OFFSET_DAYS} days`,
    };
  }
  return {
    schedule: {
      schedule,
      timeZone: window.timeZone,
      ...(offset > 0 ? { scheduleOffsetDays: offset } : {}),
      ...(window.startDate === undefined ? {} : { startDate: shiftTimestamp(window.startDate, delayHours, window.timeZone) }),
      ...(window.endDate === undefined ? {} : { endDate: shiftTimestamp(window.endDate, delayHours, window.timeZone) }),
    },
  };
}

/** shiftSchedule for a configuration that was validated: a problem here is a bug. */
export function shiftedSchedule(window: WindowSchedule, delayHours: number): WindowSchedule {
  const result = shiftSchedule(window, delayHours);
  if ("problem" in result) throw new Error(`cannot delay the schedule by ${delayHours} h: ${result.problem}`);
  return result.schedule;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An ISO-8601 time `delayHours` later on the zone's clock, written with the zone's offset at the
 * new time (as SSM takes start and end dates: with an offset).
 */
export function shiftTimestamp(iso: string, delayHours: number, timeZone: string): string {
  const wall = toWallClock(Date.parse(iso), timeZone) + delayHours * HOUR_MS;
  const instant = fromWallClock(wall, timeZone);
  const shiftedWall = new Date(toWallClock(instant, timeZone));
  const date = `${pad(shiftedWall.getUTCFullYear(), 4)}-${pad(shiftedWall.getUTCMonth() + 1)}-${pad(shiftedWall.getUTCDate())}`;
  const time = `${pad(shiftedWall.getUTCHours())}:${pad(shiftedWall.getUTCMinutes())}:${pad(shiftedWall.getUTCSeconds())}`;
  return `${date}T${time}${utcOffset(new Date(instant), timeZone)}`;
}

/** A wave as the windows' descriptions name it. */
export interface WaveLabel {
  readonly name: string;
  readonly delayHours: number;
}

/** SSM's limit on a maintenance window's description. */
export const WINDOW_DESCRIPTION_MAX_CHARS = 128;

const waveText = (wave: WaveLabel) => `wave ${wave.name} (${wave.delayHours === 0 ? "first" : `+${wave.delayHours} h`})`;

/**
 * The window's description in an account of a wave: the configured description, then the wave
 * (`…; wave main (+48 h)`), so the console and a plan show why the schedule differs between
 * accounts. The configured part is cut to fit SSM's 128 characters.
 */
export function waveDescription(description: string | undefined, wave: WaveLabel): string {
  const suffix = waveText(wave);
  if (!description) return suffix;
  const room = WINDOW_DESCRIPTION_MAX_CHARS - suffix.length - 2;
  const text = description.length <= room ? description : `${description.slice(0, room - 3)}...`;
  return `${text}; ${suffix}`;
}

/** The wave a window's description names (waveDescription's), or undefined. */
export function waveOfDescription(description: unknown): string | undefined {
  if (typeof description !== "string") return undefined;
  return /(?:^|; )wave ([a-z][a-z0-9-]*) \((?:first|\+\d+ h)\)$/.exec(description)?.[1];
}
