import { toWallClock } from "../../contracts/maintenance-schedule.js";
import type { BusinessHours } from "./findings.js";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const DEFAULT_BUSINESS_HOURS = "Mon-Fri 08:00-18:00";

export class BusinessHoursError extends Error {
  override readonly name = "BusinessHoursError";
}

/** Parses `Mon-Fri 08:00-18:00` (days as a range or comma list, local time of each window's zone). */
export function parseBusinessHours(text: string): BusinessHours {
  const match = /^([A-Za-z,-]+) (\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
  const fail = (why: string) =>
    new BusinessHoursError(`--business-hours: ${JSON.stringify(text)} ${why}; expected e.g. "${DEFAULT_BUSINESS_HOURS}" (days ${DAYS.join(", ")})`);
  if (!match) throw fail("is not in the form <days> <HH:MM>-<HH:MM>");
  const dayIndex = (name: string) => {
    const i = DAYS.findIndex((d) => d.toLowerCase() === name.toLowerCase());
    if (i === -1) throw fail(`names an unknown day ${JSON.stringify(name)}`);
    return i + 1;
  };
  const days = match[1]!.split(",").flatMap((part) => {
    const [from, to] = part.split("-");
    if (to === undefined) return [dayIndex(from!)];
    const [a, b] = [dayIndex(from!), dayIndex(to)];
    if (b < a) throw fail(`has a day range that runs backwards (${part})`);
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
  const [sh, sm, eh, em] = match.slice(2).map(Number) as [number, number, number, number];
  const startMinute = sh * 60 + sm;
  const endMinute = eh * 60 + em;
  if (sh > 23 || eh > 24 || sm > 59 || em > 59 || endMinute > 24 * 60) throw fail("has a time outside 00:00-24:00");
  if (endMinute <= startMinute) throw fail("ends before it starts");
  return { days: [...new Set(days)].sort(), startMinute, endMinute, label: text.trim() };
}

// cron schedules, offsets and business hours are all whole minutes: checking each minute is exact
const STEP_MS = 60_000;

/** Whether any minute of a window opening at `start` for `hours` falls into business hours of its zone. */
export function overlapsBusinessHours(start: Date, hours: number, timeZone: string, business: BusinessHours): boolean {
  for (let t = start.getTime(); t < start.getTime() + hours * 3_600_000; t += STEP_MS) {
    const wall = new Date(toWallClock(t, timeZone));
    const isoDay = wall.getUTCDay() === 0 ? 7 : wall.getUTCDay();
    const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
    if (business.days.includes(isoDay) && minute >= business.startMinute && minute < business.endMinute) return true;
  }
  return false;
}
