import { toWallClock } from "../../contracts/maintenance-schedule.js";

export { utcOffset } from "../../contracts/maintenance-schedule.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** `Wed 2026-12-02 21:00`: the wall-clock time of an instant in a zone. */
export function localTime(instant: Date, timeZone: string): string {
  const wall = new Date(toWallClock(instant.getTime(), timeZone));
  return `${WEEKDAYS[wall.getUTCDay()]} ${wall.toISOString().slice(0, 16).replace("T", " ")}`;
}

/** `Wed 2026-12-02 21:00 US/Central` */
export function formatLocal(instant: Date, timeZone: string): string {
  return `${localTime(instant, timeZone)} ${timeZone}`;
}

/** `Thu 2026-12-03 03:00 UTC` */
export function formatUtc(instant: Date): string {
  return `${localTime(instant, "UTC")} UTC`;
}
