/**
 * Change freezes (`org.freezes`, `<env>.freezes`): the periods in which patchline patches nothing.
 * One module for what they mean in time, for the iCalendar content of the SSM Change Calendar
 * (stacks/member/runbooks/change-calendar.ts), and for reading that content back (the plan
 * review compares a calendar before and after; the schedule preview marks runs in a freeze).
 */

import { fromWallClock } from "./maintenance-schedule.js";
import { isCalendarDate } from "./promotion-rules.js";

/**
 * A freeze as configured: a date (`2026-12-18`) or a timestamp with offset for each end. A date
 * is a whole day in `timeZone` (IANA), which is required when an end is a date: a date alone
 * does not say whose midnight ends the freeze (a 21:00 US/Central run on the last day is 03:00 UTC
 * the next day).
 */
export interface FreezeInput {
  readonly start: string;
  readonly end: string;
  readonly reason: string;
  readonly timeZone?: string | undefined;
}

/** A freeze as an interval of time: [start, end), both ISO-8601 in UTC. */
export interface Freeze {
  readonly start: string;
  readonly end: string;
  readonly reason: string;
  /** Where it is configured: `org` or the environment's name. */
  readonly scope: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/;

export { isCalendarDate };

export const isFreezeTimestamp = (value: string): boolean => TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));

/** True for a value a freeze's end may be: a date or a timestamp with offset. */
export const isFreezeEnd = (value: string): boolean => isCalendarDate(value) || isFreezeTimestamp(value);

/**
 * The instant an end of a freeze stands for, in ms. A date is a whole day in `timeZone`: as the
 * start, its first moment there; as the end, the first moment of the next day there (a freeze "to
 * 3 January" includes 3 January), converted to UTC with that day's offset (DST-correct). Undefined
 * for a value that is neither a date nor a timestamp with offset, and for a date without a zone.
 */
export function freezeInstant(value: string, end: "start" | "end", timeZone: string | undefined): number | undefined {
  if (isCalendarDate(value)) {
    if (timeZone === undefined) return undefined;
    const midnight = Date.parse(`${value}T00:00:00Z`) + (end === "end" ? 86_400_000 : 0);
    return fromWallClock(midnight, timeZone);
  }
  if (isFreezeTimestamp(value)) return Date.parse(value);
  return undefined;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

/** The freezes of `scope` as intervals in UTC (inputs the schema has checked). */
export function normalizeFreezes(freezes: readonly FreezeInput[], scope: string): Freeze[] {
  return freezes.map((f) => {
    const start = freezeInstant(f.start, "start", f.timeZone);
    const end = freezeInstant(f.end, "end", f.timeZone);
    if (start === undefined || end === undefined)
      throw new Error(`freeze ${JSON.stringify(f)} has an end that is neither a date (with timeZone) nor a timestamp with offset`);
    return { start: iso(start), end: iso(end), reason: f.reason, scope };
  });
}

/** The freezes an environment's accounts observe: the organization's, then its own. */
export const environmentFreezes = (org: readonly FreezeInput[], environment: string, own: readonly FreezeInput[]): Freeze[] => [
  ...normalizeFreezes(org, "org"),
  ...normalizeFreezes(own, environment),
];

/** The first freeze that covers `instant`, if any. */
export function freezeAt<F extends Pick<Freeze, "start" | "end">>(freezes: readonly F[], instant: Date): F | undefined {
  const t = instant.getTime();
  return freezes.find((f) => Date.parse(f.start) <= t && t < Date.parse(f.end));
}

/** The first freeze that overlaps [from, until), if any. */
export function freezeDuring(freezes: readonly Freeze[], from: Date, until: Date): Freeze | undefined {
  return freezes.find((f) => Date.parse(f.start) < until.getTime() && from.getTime() < Date.parse(f.end));
}

// ---- iCalendar (RFC 5545), as SSM Change Calendar documents hold it ----

/** `20261218T000000Z` */
const icsTime = (isoUtc: string) => isoUtc.replace(/[-:]/g, "").replace(/\.\d+/, "");
const fromIcsTime = (value: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : undefined;
};

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11). */
const escapeText = (text: string) => text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
const unescapeText = (text: string) => text.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));

/** Content lines are folded at 75 octets: the rest continues on lines that start with a space (RFC 5545 3.1). */
function fold(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.map((part, i) => (i === 0 ? part : ` ${part}`));
}

/** A stable UID per freeze: its scope and interval (a freeze moved is another event). */
const uidOf = (f: Freeze) => `${f.scope}-${icsTime(f.start)}-${icsTime(f.end)}@patchline`;

/**
 * The content of a Change Calendar that is open except during the freezes: DEFAULT_OPEN with one
 * event per freeze, in UTC. The header lines are those of the calendars the Systems Manager
 * console creates. Deterministic: DTSTAMP is the freeze's own start, so the same freezes render the
 * same document.
 */
export function changeCalendarContent(description: string, freezes: readonly Freeze[]): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "PRODID:-//AWS//Change Calendar 1.0//EN",
    "VERSION:2.0",
    "X-CALENDAR-TYPE:DEFAULT_OPEN",
    `X-WR-CALDESC:${escapeText(description)}`,
    ...freezes.flatMap((f) => [
      "BEGIN:VEVENT",
      `DTSTAMP:${icsTime(f.start)}`,
      `UID:${uidOf(f)}`,
      `DTSTART:${icsTime(f.start)}`,
      `DTEND:${icsTime(f.end)}`,
      `SUMMARY:${escapeText(f.reason)}`,
      `DESCRIPTION:${escapeText(f.scope === "org" ? "organization-wide change freeze (org.freezes)" : `change freeze of ${f.scope} (${f.scope}.freezes)`)}`,
      "END:VEVENT",
    ]),
    "END:VCALENDAR",
  ];
  return `${lines.flatMap(fold).join("\r\n")}\r\n`;
}

/** The events of a calendar's content as freezes (scope from the UID), for plan reviews; unfolds lines first. */
export function freezesInCalendar(content: string): Freeze[] {
  const lines = content.replace(/\r?\n[ \t]/g, "").split(/\r?\n/);
  const freezes: Freeze[] = [];
  let event: Record<string, string> | undefined;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") event = {};
    else if (line === "END:VEVENT" && event) {
      const start = fromIcsTime(event.DTSTART ?? "");
      const end = fromIcsTime(event.DTEND ?? "");
      if (start && end)
        freezes.push({
          start,
          end,
          reason: unescapeText(event.SUMMARY ?? ""),
          scope: /^(.+)-\d{8}T\d{6}Z-\d{8}T\d{6}Z@patchline$/.exec(event.UID ?? "")?.[1] ?? "?",
        });
      event = undefined;
    } else if (event) {
      const colon = line.indexOf(":");
      // a property's parameters (`DTSTART;VALUE=DATE`) are not patchline's: the name is what counts
      if (colon > 0) event[line.slice(0, colon).split(";")[0]!] = line.slice(colon + 1);
    }
  }
  return freezes;
}

/** `2026-12-18 00:00 UTC – 2027-01-04 00:00 UTC` */
export function describeInterval(f: Pick<Freeze, "start" | "end">): string {
  const show = (value: string) => `${value.slice(0, 10)} ${value.slice(11, 16)} UTC`;
  return `${show(f.start)} – ${show(f.end)}`;
}
