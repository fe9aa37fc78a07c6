import { toWallClock } from "../../contracts/maintenance-schedule.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** `Wed 2026-12-02 21:00`: the wall-clock time of an instant in a zone. */
export function localTime(instant: Date, timeZone: string): string {
  const wall = new Date(toWallClock(instant.getTime(), timeZone));
  return `${WEEKDAYS[wall.getUTCDay()]} ${wall.toISOString().slice(0, 16).replace("T", " ")}`;
}

/** `-06:00`: the zone's offset from UTC at that instant (it changes with daylight saving time). */
export function utcOffset(instant: Date, timeZone: string): string {
  const minutes = Math.round((toWallClock(instant.getTime(), timeZone) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** `Wed 2026-12-02 21:00 US/Central` */
export function formatLocal(instant: Date, timeZone: string): string {
  return `${localTime(instant, timeZone)} ${timeZone}`;
}

/** `Thu 2026-12-03 03:00 UTC` */
export function formatUtc(instant: Date): string {
  return `${localTime(instant, "UTC")} UTC`;
}
