import awsCronParserModule from "aws-cron-parser";

// aws-cron-parser is CommonJS (`export =`); under ESM interop the methods may sit on `.default`.
const awsCronParser = ((awsCronParserModule as unknown as { default?: typeof awsCronParserModule }).default ??
  awsCronParserModule) as typeof awsCronParserModule;

/** What SSM needs to know when a maintenance window runs. */
export interface WindowSchedule {
  /** `cron(...)` (six AWS fields) or `rate(...)`. */
  readonly schedule: string;
  /** IANA zone the cron fields are read in. */
  readonly timeZone: string;
  /** Days added after each cron date (cron only). */
  readonly scheduleOffsetDays?: number;
  /** ISO-8601; no run before it. For rate schedules, the first run is one interval after it. */
  readonly startDate?: string;
  /** ISO-8601; no run after it. */
  readonly endDate?: string;
}

/** The schedule fields of a window (config, catalog or shifted), and nothing else. */
export const windowSchedule = (window: WindowSchedule): WindowSchedule => ({
  schedule: window.schedule,
  timeZone: window.timeZone,
  ...(window.scheduleOffsetDays === undefined ? {} : { scheduleOffsetDays: window.scheduleOffsetDays }),
  ...(window.startDate === undefined ? {} : { startDate: window.startDate }),
  ...(window.endDate === undefined ? {} : { endDate: window.endDate }),
});

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Wall-clock time of an instant in a zone, as milliseconds of a UTC date with the same fields
 * (so cron fields can be matched with UTC getters).
 */
export function toWallClock(instantMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/**
 * The instant a wall-clock time happens in a zone. A time that happens twice (clocks set back) is
 * its first occurrence; a time that does not exist (clocks set forward) moves forward by the gap,
 * e.g. 02:30 on the day US clocks jump from 02:00 to 03:00 is 03:30.
 */
export function fromWallClock(wallMs: number, timeZone: string): number {
  const offsetBefore = toWallClock(wallMs - DAY_MS, timeZone) - (wallMs - DAY_MS);
  const offsetAfter = toWallClock(wallMs + DAY_MS, timeZone) - (wallMs + DAY_MS);
  const candidates = [...new Set([wallMs - offsetBefore, wallMs - offsetAfter])]
    .filter((instant) => toWallClock(instant, timeZone) === wallMs)
    .sort((a, b) => a - b);
  return candidates[0] ?? wallMs - offsetBefore;
}

/** `-06:00`: the zone's offset from UTC at that instant (it changes with daylight saving time). */
export function utcOffset(instant: Date, timeZone: string): string {
  const minutes = Math.round((toWallClock(instant.getTime(), timeZone) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const rateUnitMs = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: DAY_MS, days: DAY_MS } as const;

/**
 * The next `count` runs of a window strictly after `from`, as instants. Cron fields are evaluated
 * in the window's time zone, so a 21:00 US/Central window stays at 21:00 local across DST.
 */
export function nextRuns(window: WindowSchedule, from: Date, count: number): Date[] {
  const start = window.startDate ? Date.parse(window.startDate) : undefined;
  const end = window.endDate ? Date.parse(window.endDate) : undefined;
  const runs: Date[] = [];

  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(window.schedule);
  if (rate) {
    const interval = Number(rate[1]) * rateUnitMs[rate[2] as keyof typeof rateUnitMs];
    // SSM counts rate schedules from the window's start; without a start date, from `from`
    const origin = start ?? from.getTime();
    let next = origin + interval * Math.max(1, Math.floor((from.getTime() - origin) / interval) + 1);
    while (runs.length < count && (end === undefined || next <= end)) {
      runs.push(new Date(next));
      next += interval;
    }
    return runs;
  }

  const cron = /^cron\((.*)\)$/.exec(window.schedule);
  if (!cron) throw new Error(`not an SSM schedule: ${JSON.stringify(window.schedule)}`);
  const parsed = awsCronParser.parse(cron[1]!.trim());
  const offsetMs = (window.scheduleOffsetDays ?? 0) * DAY_MS;
  // search from the cron date that would land on `from` after the offset
  let cursorWall = toWallClock(Math.max(from.getTime(), start ?? -Infinity), window.timeZone) - offsetMs - 1000;
  for (let guard = 0; runs.length < count && guard < count * 50 + 1000; guard++) {
    const nextWall = awsCronParser.next(parsed, new Date(cursorWall));
    if (!nextWall) break;
    cursorWall = nextWall.getTime();
    const instant = fromWallClock(cursorWall + offsetMs, window.timeZone);
    if (end !== undefined && instant > end) break;
    if (instant <= from.getTime() || (start !== undefined && instant < start)) continue;
    runs.push(new Date(instant));
  }
  return runs;
}
