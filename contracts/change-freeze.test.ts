import { describe, expect, it } from "vitest";
import {
  changeCalendarContent,
  describeInterval,
  environmentFreezes,
  freezeAt,
  freezeDuring,
  freezeInstant,
  freezesInCalendar,
  normalizeFreezes,
} from "./change-freeze.js";

describe("change freezes in time", () => {
  it("a date is a whole day in UTC: the start its first moment, the end the first moment of the next day", () => {
    expect(normalizeFreezes([{ start: "2026-12-18", end: "2027-01-03", timeZone: "UTC", reason: "year-end freeze" }], "org")).toEqual([
      { start: "2026-12-18T00:00:00Z", end: "2027-01-04T00:00:00Z", reason: "year-end freeze", scope: "org" },
    ]);
  });

  it("a date is a whole day in the freeze's time zone, with that day's offset (DST-correct)", () => {
    const [winter, summer] = normalizeFreezes(
      [
        { start: "2026-12-18", end: "2027-01-03", timeZone: "US/Central", reason: "year-end" },
        { start: "2027-03-13", end: "2027-03-14", timeZone: "US/Central", reason: "across the switch to CDT" },
      ],
      "org",
    );
    expect(winter).toMatchObject({ start: "2026-12-18T06:00:00Z", end: "2027-01-04T06:00:00Z" });
    // 14 March 2027 is the day US clocks go forward: it starts at CST (-6) and the next day at CDT (-5)
    expect(summer).toMatchObject({ start: "2027-03-13T06:00:00Z", end: "2027-03-15T05:00:00Z" });
    // a 21:00 US/Central run on the freeze's last day (03:00 UTC the next day) is frozen
    expect(freezeAt([winter!], new Date("2027-01-04T03:00:00Z"))?.reason).toBe("year-end");
  });

  it("a date without a time zone has no instant", () => {
    expect(freezeInstant("2026-12-18", "start", undefined)).toBeUndefined();
    expect(() => normalizeFreezes([{ start: "2026-12-18", end: "2027-01-03", reason: "r" }], "org")).toThrow(/date \(with timeZone\)/);
  });

  it("a timestamp keeps its offset's instant", () => {
    expect(normalizeFreezes([{ start: "2026-12-18T17:00:00-06:00", end: "2026-12-19T08:30+01:00", reason: "r" }], "prod")[0]).toMatchObject({
      start: "2026-12-18T23:00:00Z",
      end: "2026-12-19T07:30:00Z",
    });
  });

  it("rejects dates that do not exist and timestamps without offset", () => {
    expect(freezeInstant("2026-02-30", "start", "UTC")).toBeUndefined();
    expect(freezeInstant("2026-12-18T10:00:00", "start", "UTC")).toBeUndefined();
    expect(freezeInstant("18.12.2026", "end", "UTC")).toBeUndefined();
  });

  it("an environment observes the organization's freezes, then its own", () => {
    const freezes = environmentFreezes([{ start: "2026-12-18", end: "2027-01-03", timeZone: "UTC", reason: "year-end" }], "prod", [
      { start: "2027-03-01", end: "2027-03-01", timeZone: "UTC", reason: "launch" },
    ]);
    expect(freezes.map((f) => [f.scope, f.reason, describeInterval(f)])).toEqual([
      ["org", "year-end", "2026-12-18 00:00 UTC – 2027-01-04 00:00 UTC"],
      ["prod", "launch", "2027-03-01 00:00 UTC – 2027-03-02 00:00 UTC"],
    ]);
    expect(freezeAt(freezes, new Date("2027-01-03T23:59:59Z"))?.reason).toBe("year-end");
    expect(freezeAt(freezes, new Date("2027-01-04T00:00:00Z"))).toBeUndefined();
    expect(freezeDuring(freezes, new Date("2026-12-17T22:00:00Z"), new Date("2026-12-18T01:00:00Z"))?.reason).toBe("year-end");
    expect(freezeDuring(freezes, new Date("2026-12-17T20:00:00Z"), new Date("2026-12-18T00:00:00Z"))).toBeUndefined();
  });
});

describe("the change calendar's iCalendar content", () => {
  const freezes = normalizeFreezes(
    [
      { start: "2026-12-18", end: "2027-01-03", timeZone: "UTC", reason: "year-end freeze" },
      { start: "2027-03-01T06:00:00+01:00", end: "2027-03-02T06:00:00+01:00", reason: "launch; payments, checkout \\ search" },
    ],
    "org",
  );

  it("is a DEFAULT_OPEN calendar with one event per freeze, in UTC, with CRLF line ends", () => {
    expect(changeCalendarContent("patchline change freezes of prod", freezes)).toBe(
      [
        "BEGIN:VCALENDAR",
        "PRODID:-//AWS//Change Calendar 1.0//EN",
        "VERSION:2.0",
        "X-CALENDAR-TYPE:DEFAULT_OPEN",
        "X-WR-CALDESC:patchline change freezes of prod",
        "BEGIN:VEVENT",
        "DTSTAMP:20261218T000000Z",
        "UID:org-20261218T000000Z-20270104T000000Z@patchline",
        "DTSTART:20261218T000000Z",
        "DTEND:20270104T000000Z",
        "SUMMARY:year-end freeze",
        "DESCRIPTION:organization-wide change freeze (org.freezes)",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTAMP:20270301T050000Z",
        "UID:org-20270301T050000Z-20270302T050000Z@patchline",
        "DTSTART:20270301T050000Z",
        "DTEND:20270302T050000Z",
        "SUMMARY:launch\\; payments\\, checkout \\\\ search",
        "DESCRIPTION:organization-wide change freeze (org.freezes)",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n"),
    );
  });

  it("with no freezes is an open calendar without events", () => {
    expect(changeCalendarContent("none", [])).toContain("X-CALENDAR-TYPE:DEFAULT_OPEN\r\nX-WR-CALDESC:none\r\nEND:VCALENDAR\r\n");
  });

  it("folds lines longer than 75 octets, and reads back what it wrote", () => {
    const long = normalizeFreezes([{ start: "2027-05-01", end: "2027-05-02", timeZone: "UTC", reason: `Jahresabschluss ${"ä".repeat(80)}` }], "prod");
    const content = changeCalendarContent("d", long);
    for (const line of content.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(freezesInCalendar(content)).toEqual(long);
    expect(freezesInCalendar(changeCalendarContent("d", freezes))).toEqual(freezes);
  });
});
