import { describe, expect, it } from "vitest";
import { fromWallClock, nextRuns, toWallClock } from "./maintenance-schedule.js";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("nextRuns", () => {
  it("runs the prod window on the first Wednesday of each month at 21:00 Central, across the November DST change", () => {
    const runs = nextRuns({ schedule: "cron(0 21 ? * WED#1 *)", timeZone: "US/Central" }, new Date("2026-10-01T00:00:00Z"), 3);
    // Oct 7 (CDT, UTC-5), Nov 4 (CST from Nov 1, UTC-6), Dec 2 (CST)
    expect(iso(runs)).toEqual(["2026-10-08T02:00:00.000Z", "2026-11-05T03:00:00.000Z", "2026-12-03T03:00:00.000Z"]);
  });

  it("keeps a weekly Berlin window at 03:00 local across the March change", () => {
    const runs = nextRuns({ schedule: "cron(0 3 ? * SUN *)", timeZone: "Europe/Berlin" }, new Date("2027-03-20T00:00:00Z"), 2);
    // Mar 21 (CET, UTC+1); Mar 28: clocks jump 02:00 → 03:00, 03:00 CEST exists (UTC+2)
    expect(iso(runs)).toEqual(["2027-03-21T02:00:00.000Z", "2027-03-28T01:00:00.000Z"]);
  });

  it("moves a wall time inside the spring-forward gap to after the gap", () => {
    const runs = nextRuns({ schedule: "cron(30 2 ? * SUN *)", timeZone: "America/Chicago" }, new Date("2027-03-13T00:00:00Z"), 1);
    // 2027-03-14 02:30 does not exist in Chicago; it happens as 03:30 CDT = 08:30Z
    expect(iso(runs)).toEqual(["2027-03-14T08:30:00.000Z"]);
  });

  it("runs a repeated fall-back wall time once, at its first occurrence", () => {
    const runs = nextRuns({ schedule: "cron(30 1 ? * SUN *)", timeZone: "America/Chicago" }, new Date("2026-10-31T00:00:00Z"), 2);
    // 2026-11-01 01:30 happens twice; the first is CDT (UTC-5) = 06:30Z; next week is CST
    expect(iso(runs)).toEqual(["2026-11-01T06:30:00.000Z", "2026-11-08T07:30:00.000Z"]);
  });

  it("adds the schedule offset to the cron date (Patch Tuesday + 2)", () => {
    const runs = nextRuns({ schedule: "cron(0 22 ? * TUE#2 *)", timeZone: "UTC", scheduleOffsetDays: 2 }, new Date("2027-01-01T00:00:00Z"), 2);
    expect(iso(runs)).toEqual(["2027-01-14T22:00:00.000Z", "2027-02-11T22:00:00.000Z"]);
  });

  it("respects start and end dates", () => {
    const window = { schedule: "cron(0 10 ? * MON *)", timeZone: "UTC", startDate: "2027-01-05T00:00:00Z", endDate: "2027-01-20T00:00:00Z" };
    expect(iso(nextRuns(window, new Date("2027-01-01T00:00:00Z"), 5))).toEqual(["2027-01-11T10:00:00.000Z", "2027-01-18T10:00:00.000Z"]);
  });

  it("counts rate schedules from the start date", () => {
    const runs = nextRuns({ schedule: "rate(7 days)", timeZone: "UTC", startDate: "2027-01-01T06:00:00Z" }, new Date("2027-01-10T00:00:00Z"), 2);
    expect(iso(runs)).toEqual(["2027-01-15T06:00:00.000Z", "2027-01-22T06:00:00.000Z"]);
  });

  it("never returns a run at or before `from`", () => {
    const runs = nextRuns({ schedule: "cron(0 21 ? * WED#1 *)", timeZone: "US/Central" }, new Date("2026-10-08T02:00:00Z"), 1);
    expect(iso(runs)).toEqual(["2026-11-05T03:00:00.000Z"]);
  });
});

describe("wall clock conversion", () => {
  it("round-trips an ordinary time", () => {
    const instant = Date.parse("2027-07-01T12:00:00Z");
    expect(fromWallClock(toWallClock(instant, "Asia/Tokyo"), "Asia/Tokyo")).toBe(instant);
  });
});
