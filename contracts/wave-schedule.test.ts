import { describe, expect, it } from "vitest";
import { fromWallClock, nextRuns, toWallClock, type WindowSchedule } from "./maintenance-schedule.js";
import { shiftedSchedule, shiftSchedule, shiftTimestamp, waveDescription, waveOfDescription } from "./wave-schedule.js";

const HOUR_MS = 3_600_000;
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
/** `Wed 2026-12-02 21:00` in the zone: what a wave's delay is counted on. */
const local = (instant: Date | number, zone: string) => new Date(toWallClock(new Date(instant).getTime(), zone)).toISOString().slice(0, 16).replace("T", " ");

describe("shiftSchedule", () => {
  const prod: WindowSchedule = { schedule: "cron(0 21 ? * WED#1 *)", timeZone: "US/Central" };

  it("leaves the first wave (delay 0) as configured", () => {
    expect(shiftSchedule({ ...prod, scheduleOffsetDays: 2 }, 0)).toEqual({ schedule: { ...prod, scheduleOffsetDays: 2 } });
  });

  it("moves the hour within the day", () => {
    expect(shiftSchedule(prod, 2)).toEqual({ schedule: { schedule: "cron(0 23 ? * WED#1 *)", timeZone: "US/Central" } });
  });

  it("past midnight: the hour wraps and a day of offset is added", () => {
    expect(shiftSchedule(prod, 6)).toEqual({ schedule: { schedule: "cron(0 3 ? * WED#1 *)", timeZone: "US/Central", scheduleOffsetDays: 1 } });
  });

  it("whole days go to the offset only, keeping the cron text as written (no change in the plan but the offset)", () => {
    expect(shiftSchedule(prod, 48)).toEqual({ schedule: { ...prod, scheduleOffsetDays: 2 } });
    // any hour field shifts by whole days: every 4 hours of Tuesday, two days later
    expect(shiftSchedule({ schedule: "cron(0 0/4 ? * TUE *)", timeZone: "UTC" }, 48)).toEqual({
      schedule: { schedule: "cron(0 0/4 ? * TUE *)", timeZone: "UTC", scheduleOffsetDays: 2 },
    });
  });

  it("adds to the window's own offset (Patch Tuesday + 2, then the wave's day)", () => {
    expect(shiftSchedule({ schedule: "cron(0 22 ? * TUE#2 *)", timeZone: "UTC", scheduleOffsetDays: 2 }, 27)).toEqual({
      schedule: { schedule: "cron(0 1 ? * TUE#2 *)", timeZone: "UTC", scheduleOffsetDays: 4 },
    });
  });

  it("keeps minute lists and steps, and reads an hour with a leading zero", () => {
    expect(shiftedSchedule({ schedule: "cron(0/15 09 ? * MON-FRI *)", timeZone: "UTC" }, 3).schedule).toBe("cron(0/15 12 ? * MON-FRI *)");
    expect(shiftedSchedule({ schedule: "cron(5,35 23 ? * SUN *)", timeZone: "UTC" }, 1)).toEqual({
      schedule: "cron(5,35 0 ? * SUN *)",
      timeZone: "UTC",
      scheduleOffsetDays: 1,
    });
  });

  it("goes up to six days of offset in all, and says how many days a longer delay would take", () => {
    expect(shiftedSchedule({ schedule: "cron(0 0 ? * SUN *)", timeZone: "UTC" }, 167)).toEqual({
      schedule: "cron(0 23 ? * SUN *)",
      timeZone: "UTC",
      scheduleOffsetDays: 6,
    });
    expect(shiftSchedule({ schedule: "cron(0 21 ? * SUN *)", timeZone: "UTC" }, 150)).toEqual({
      problem: `150 h after "cron(0 21 ? * SUN *)" is 7 days after the cron date (7 from the delay); SSM's schedule offset is at most 6 days`,
    });
    expect(shiftSchedule({ schedule: "cron(0 22 ? * TUE#2 *)", timeZone: "UTC", scheduleOffsetDays: 5 }, 48)).toEqual({
      problem: `48 h after "cron(0 22 ? * TUE#2 *)" + 5 days is 7 days after the cron date (2 from the delay and 5 of scheduleOffsetDays); SSM's schedule offset is at most 6 days`,
    });
  });

  it("needs a single hour to move within the day", () => {
    for (const hour of ["8-17", "*", "0/4", "6,18"]) {
      expect(shiftSchedule({ schedule: `cron(0 ${hour} ? * MON *)`, timeZone: "UTC" }, 5)).toEqual({
        problem: `the hour field "${hour}" of "cron(0 ${hour} ? * MON *)" is not a single hour; a delay of 5 h moves the start within the day, which needs one start hour (a delay in whole days, a multiple of 24 h, works with any hour field)`,
      });
    }
  });

  it("refuses rate schedules (SSM offsets cron only) and delays out of range", () => {
    expect(shiftSchedule({ schedule: "rate(7 days)", timeZone: "UTC" }, 24)).toEqual({
      problem: `"rate(7 days)" is not a cron schedule: SSM offsets cron schedules only, so no wave can run it later`,
    });
    expect(shiftSchedule(prod, 168)).toEqual({ problem: "168 is not a delay: a whole number of hours from 0 to 167" });
    expect(shiftSchedule(prod, 1.5)).toEqual({ problem: "1.5 is not a delay: a whole number of hours from 0 to 167" });
    expect(() => shiftedSchedule({ schedule: "rate(1 day)", timeZone: "UTC" }, 24)).toThrow(
      /cannot delay the schedule by 24 h: "rate\(1 day\)" is not a cron schedule/,
    );
  });

  it("moves start and end dates by the delay on the zone's clock, written with the offset of the new time", () => {
    const window = { ...prod, startDate: "2027-03-13T21:00:00-06:00", endDate: "2027-12-31T00:00:00Z" };
    expect(shiftedSchedule(window, 24)).toMatchObject({
      // 24 h on the Central clock across the March change (CST → CDT) is 23 h elapsed
      startDate: "2027-03-14T21:00:00-05:00",
      endDate: "2027-12-31T18:00:00-06:00",
    });
  });
});

describe("shiftTimestamp", () => {
  it("keeps seconds and writes the zone's offset", () => {
    expect(shiftTimestamp("2027-01-01T00:00:30+09:00", 5, "Asia/Tokyo")).toBe("2027-01-01T05:00:30+09:00");
    expect(shiftTimestamp("2026-10-24T02:30:00+02:00", 24, "Europe/Berlin")).toBe("2026-10-25T02:30:00+02:00");
    // 02:30 does not exist on 2027-03-28 in Berlin: the time moves forward by the gap, as run times do
    expect(shiftTimestamp("2027-03-27T02:30:00+01:00", 24, "Europe/Berlin")).toBe("2027-03-28T03:30:00+02:00");
  });
});

/**
 * The preview's runs of a shifted window are the original's runs plus the delay on the window's
 * local clock, for every kind of cron date: monthly `#` and `L`, last day of the month, the year's
 * end, minute steps, daily runs across both daylight saving switches in either hemisphere.
 */
describe("a shifted window runs the delay after the original, on the local clock", () => {
  const windows: WindowSchedule[] = [
    { schedule: "cron(0 21 ? * WED#1 *)", timeZone: "US/Central" },
    { schedule: "cron(30 22 L * ? *)", timeZone: "Europe/Berlin" },
    { schedule: "cron(15 23 ? * 6L *)", timeZone: "America/New_York" },
    { schedule: "cron(0 20 ? * TUE#2 *)", timeZone: "Australia/Sydney", scheduleOffsetDays: 2 },
    { schedule: "cron(0/20 18 * * ? *)", timeZone: "Europe/London" },
    { schedule: "cron(45 23 31 12 ? *)", timeZone: "UTC" },
    { schedule: "cron(0 22 15W * ? *)", timeZone: "America/Los_Angeles" },
    { schedule: "cron(0 19 * * ? *)", timeZone: "US/Central" },
  ];
  const delays = [1, 3, 5, 6, 24, 30, 47, 48, 100, 140];
  const starts = ["2026-02-25T00:00:00Z", "2026-09-25T00:00:00Z", "2026-12-20T00:00:00Z"];

  it("for each window, delay and start", () => {
    let checked = 0;
    for (const window of windows) {
      for (const delay of delays) {
        const result = shiftSchedule(window, delay);
        if ("problem" in result) {
          // only the six-day limit stops these windows (each has a single hour)
          expect(result.problem).toMatch(/SSM's schedule offset is at most 6 days$/);
          continue;
        }
        for (const start of starts) {
          const original = nextRuns(window, new Date(start), 12);
          const expected = original.map((run) => fromWallClock(toWallClock(run.getTime(), window.timeZone) + delay * HOUR_MS, window.timeZone));
          const shifted = nextRuns(result.schedule, new Date(expected[0]! - 1), 12);
          expect({ window: window.schedule, delay, start, runs: iso(shifted) }).toEqual({
            window: window.schedule,
            delay,
            start,
            runs: iso(expected.map((t) => new Date(t))),
          });
          checked++;
        }
      }
    }
    // every window with every delay but those past six days of offset
    expect(checked).toBeGreaterThanOrEqual(200);
  });
});

describe("daylight saving time around a wave", () => {
  it("a 24 h wave after a Saturday 21:00 Central run is Sunday 21:00 local, 25 h later when the clocks go back in between", () => {
    const canary = { schedule: "cron(0 21 ? * SAT *)", timeZone: "US/Central" };
    const [first] = nextRuns(canary, new Date("2026-10-31T00:00:00Z"), 1);
    const [main] = nextRuns(shiftedSchedule(canary, 24), new Date("2026-10-31T00:00:00Z"), 1);
    expect([local(first!, "US/Central"), local(main!, "US/Central")]).toEqual(["2026-10-31 21:00", "2026-11-01 21:00"]);
    expect((main!.getTime() - first!.getTime()) / HOUR_MS).toBe(25);
  });

  it("a wave landing in the spring-forward gap runs after the gap (Sat 20:30 + 6 h is Sun 02:30, which does not exist: 03:30)", () => {
    const main = shiftedSchedule({ schedule: "cron(30 20 ? * SAT *)", timeZone: "America/Chicago" }, 6);
    expect(main).toEqual({ schedule: "cron(30 2 ? * SAT *)", timeZone: "America/Chicago", scheduleOffsetDays: 1 });
    expect(iso(nextRuns(main, new Date("2027-03-13T00:00:00Z"), 2))).toEqual(["2027-03-14T08:30:00.000Z", "2027-03-21T07:30:00.000Z"]);
  });

  it("shifts the configured time, not the moved one: 02:30 on the spring-forward Sunday runs at 03:30, its wave on Monday at 02:30", () => {
    const canary = { schedule: "cron(30 2 ? * SUN#2 *)", timeZone: "US/Central" };
    const [first] = nextRuns(canary, new Date("2027-03-01T00:00:00Z"), 1);
    const [main] = nextRuns(shiftedSchedule(canary, 24), new Date("2027-03-01T00:00:00Z"), 1);
    expect([local(first!, "US/Central"), local(main!, "US/Central")]).toEqual(["2027-03-14 03:30", "2027-03-15 02:30"]);
  });

  it("a time that happens twice is the first occurrence in either wave", () => {
    const canary = { schedule: "cron(30 1 ? * SAT *)", timeZone: "America/Chicago" };
    const [main] = nextRuns(shiftedSchedule(canary, 24), new Date("2026-10-30T00:00:00Z"), 1);
    // 2026-11-01 01:30 happens at 06:30Z (CDT) and 07:30Z (CST)
    expect(main!.toISOString()).toBe("2026-11-01T06:30:00.000Z");
  });

  it("moves a Patch Tuesday window by days after the cron date, not to another weekday's rule (TUE#2 + 2 days is Thursday, even when it is the 3rd Thursday)", () => {
    const main = shiftedSchedule({ schedule: "cron(0 21 ? * TUE#2 *)", timeZone: "UTC" }, 48);
    // the 2nd Tuesday of September 2027 is the 14th; two days later is the 16th, the 3rd Thursday
    expect(iso(nextRuns(main, new Date("2027-09-01T00:00:00Z"), 1))).toEqual(["2027-09-16T21:00:00.000Z"]);
  });

  it("crosses the end of the month and the year", () => {
    const lastDay = shiftedSchedule({ schedule: "cron(0 22 L * ? *)", timeZone: "UTC" }, 4);
    // January's last day 22:00 + 4 h is 1 February 02:00, February's (the 28th) is 1 March
    expect(iso(nextRuns(lastDay, new Date("2027-02-01T00:00:00Z"), 2))).toEqual(["2027-02-01T02:00:00.000Z", "2027-03-01T02:00:00.000Z"]);
    const newYear = shiftedSchedule({ schedule: "cron(30 23 31 12 ? 2026)", timeZone: "UTC" }, 1);
    expect(iso(nextRuns(newYear, new Date("2026-06-01T00:00:00Z"), 2))).toEqual(["2027-01-01T00:30:00.000Z"]);
  });
});

describe("wave descriptions", () => {
  it("name the wave after the configured description, and are read back by the plan review", () => {
    const main = waveDescription("Production fleet", { name: "main", delayHours: 48 });
    expect(main).toBe("Production fleet; wave main (+48 h)");
    expect(waveOfDescription(main)).toBe("main");
    expect(waveDescription(undefined, { name: "canary", delayHours: 0 })).toBe("wave canary (first)");
    expect(waveOfDescription("wave canary (first)")).toBe("canary");
    expect(waveOfDescription("Production fleet")).toBeUndefined();
    expect(waveOfDescription(null)).toBeUndefined();
  });

  it("cut the configured description to fit SSM's 128 characters", () => {
    const text = waveDescription("x".repeat(128), { name: "late-wave", delayHours: 100 });
    expect(text).toHaveLength(128);
    expect(text.endsWith("...; wave late-wave (+100 h)")).toBe(true);
    expect(waveOfDescription(text)).toBe("late-wave");
  });
});
