import { describe, expect, it } from "vitest";
import { problemsAfter } from "../../test/support/config.js";

/** Problems after changing dev's only window (`dev-weekly`). */
const windowProblems = (change: (window: Record<string, unknown>) => void) => problemsAfter((d) => change(d.environments.dev.maintenanceWindows[0]));
const at = "dev.maintenanceWindows[0]";

describe("schedules (AWS cron, evaluated by an AWS-cron-aware library, and rate)", () => {
  it.each([
    "cron(0 21 ? * WED#1 *)", // first Wednesday
    "cron(0 2 L * ? *)", // last day of the month
    "cron(0 2 15W * ? *)", // weekday nearest the 15th
    "cron(0 2 LW * ? *)", // last weekday of the month
    "cron(0 10 ? * 3L *)", // last Tuesday
    "cron(0/30 1-3 ? JAN-MAR MON-FRI 2027-2030)",
    "cron(15 10 ? * TUE,THU *)",
    "rate(1 day)",
    "rate(2 days)",
    "rate(12 hours)",
  ])("accepts %s", (schedule) => {
    expect(windowProblems((w) => (w.schedule = schedule))).toEqual([]);
  });

  it.each([
    ["cron(0 10 ? * TUE)", "AWS cron has 6 fields (minutes hours day-of-month month day-of-week year), got 5"],
    ["cron(0 10 * * TUE *)", 'day-of-month and day-of-week cannot both be set; one of them must be "?"'],
    ["cron(0 10 ? * ? *)", 'day-of-month and day-of-week cannot both be "?"'],
    ["cron(0 25 ? * TUE *)", "Number '25' of hours field is bigger than upper limit '23'"],
    ["cron(0 10 ? * FOO *)", "Element 'FOO' of day-of-week field is invalid"],
    ["cron(0 10 ? * WED#6 *)", "Number of occurrence of the day of the week cannot be greater than 5"],
  ])("rejects %s", (schedule, reason) => {
    expect(windowProblems((w) => (w.schedule = schedule))).toEqual([
      `${at}.schedule: ${JSON.stringify(schedule)} is not a valid AWS cron expression: ${reason}`,
    ]);
  });

  it.each([
    ["rate(1 days)", 'must use the singular unit for 1 (e.g. "rate(1 day)")'],
    ["rate(2 day)", 'must use a plural unit for values above 1 (e.g. "rate(2 days)")'],
    ["rate(0 hours)", "has a rate below 1"],
    ["rate(5 weeks)", 'is not an SSM schedule: use "cron(minutes hours day-of-month month day-of-week year)" or "rate(value unit)"'],
    ["0 10 * * 2", 'is not an SSM schedule: use "cron(minutes hours day-of-month month day-of-week year)" or "rate(value unit)"'],
  ])("rejects %s", (schedule, reason) => {
    expect(windowProblems((w) => (w.schedule = schedule))).toEqual([`${at}.schedule: ${JSON.stringify(schedule)} ${reason}`]);
  });
});

describe("window names", () => {
  it("accepts a name whose patch command comment fits SSM's 100 characters, and rejects a longer one", () => {
    const named = (name: string) =>
      problemsAfter((d) => {
        d.environments.dev.maintenanceWindows[0].name = name;
        d.environments.dev.patchGroups.forEach((g: { maintenanceWindow: string }) => (g.maintenanceWindow = name));
      });
    expect(named("w".repeat(82))).toEqual([]);
    expect(named("w".repeat(83))).toEqual([
      `dev.maintenanceWindows[0].name: "${"w".repeat(83)}" is 83 characters; at most 82 fit the patch commands' comment ("patchline <window> <task>", which SSM limits to 100 characters)`,
    ]);
  });
});

describe("time zones", () => {
  it.each(["Europe/Berlin", "America/Chicago", "UTC", "Asia/Kolkata"])("accepts %s", (zone) => {
    expect(windowProblems((w) => (w.timeZone = zone))).toEqual([]);
  });

  it.each(["CET+1", "Europe/Munich", "Central"])("rejects %s", (zone) => {
    expect(windowProblems((w) => (w.timeZone = zone))).toEqual([
      `${at}.timeZone: ${JSON.stringify(zone)} is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")`,
    ]);
  });
});

describe("duration and cutoff", () => {
  // without change freezes the install task is Run Command's, which any cutoff suits (with them: safety-nets.test.ts)
  const runCommandWindowProblems = (change: (window: Record<string, unknown>) => void) =>
    problemsAfter((d) => {
      d.org.freezes = [];
      change(d.environments.dev.maintenanceWindows[0]);
    });

  it.each([
    [1, 0],
    [24, 23],
  ])("accepts %i h with a cutoff of %i h", (durationHours, cutoffHours) => {
    expect(runCommandWindowProblems((w) => Object.assign(w, { durationHours, cutoffHours }))).toEqual([]);
  });

  it.each([0, 25, 2.5])("rejects a duration of %s h", (durationHours) => {
    expect(runCommandWindowProblems((w) => Object.assign(w, { durationHours, cutoffHours: 0 }))).toEqual([
      `${at}.durationHours: ${durationHours} is not a duration in hours: a whole number from 1 to 24`,
    ]);
  });

  it("rejects a cutoff that is not below the duration", () => {
    expect(windowProblems((w) => Object.assign(w, { durationHours: 2, cutoffHours: 2 }))).toEqual([
      `${at}.cutoffHours: 2 is not below the window's duration of 2 h; no task could start`,
    ]);
  });

  it("rejects a negative cutoff", () => {
    expect(windowProblems((w) => (w.cutoffHours = -1))).toEqual([`${at}.cutoffHours: -1 is not a cutoff in hours: a whole number from 0 to 23`]);
  });
});

describe("schedule offset", () => {
  it("accepts an offset of 1-6 days on a cron schedule (Patch Tuesday + 2)", () => {
    expect(windowProblems((w) => Object.assign(w, { schedule: "cron(0 21 ? * TUE#2 *)", scheduleOffsetDays: 2 }))).toEqual([]);
  });

  it("rejects an offset on a rate schedule", () => {
    expect(windowProblems((w) => Object.assign(w, { schedule: "rate(7 days)", scheduleOffsetDays: 2 }))).toEqual([
      `${at}.scheduleOffsetDays: 2 needs a cron schedule; SSM applies offsets to cron expressions only (schedule is "rate(7 days)")`,
    ]);
  });

  it("rejects an offset of 7 days", () => {
    expect(windowProblems((w) => (w.scheduleOffsetDays = 7))).toEqual([
      `${at}.scheduleOffsetDays: 7 is not a schedule offset in days: a whole number from 1 to 6`,
    ]);
  });
});

describe("start and end dates", () => {
  it("accepts ISO-8601 timestamps with an offset, start before end", () => {
    expect(windowProblems((w) => Object.assign(w, { startDate: "2027-01-01T00:00:00-06:00", endDate: "2027-12-31T23:59:59Z" }))).toEqual([]);
  });

  it.each(["2027-01-01", "2027-01-01T00:00:00", "2027-13-01T00:00:00Z"])("rejects %s", (startDate) => {
    expect(windowProblems((w) => (w.startDate = startDate))).toEqual([
      `${at}.startDate: ${JSON.stringify(startDate)} is not an ISO-8601 timestamp with offset (e.g. "2027-01-01T00:00:00-06:00")`,
    ]);
  });

  it("rejects an end that is not after the start", () => {
    expect(windowProblems((w) => Object.assign(w, { startDate: "2027-06-01T00:00:00Z", endDate: "2027-05-31T19:00:00-05:00" }))).toEqual([
      `${at}.endDate: "2027-05-31T19:00:00-05:00" is not after startDate "2027-06-01T00:00:00Z"`,
    ]);
  });
});

describe("rate control", () => {
  it.each([
    ["1", "0"],
    ["250", "10"],
    ["1%", "0%"],
    ["100%", "100%"],
  ])("accepts concurrency %s with error threshold %s", (maxConcurrency, maxErrors) => {
    expect(windowProblems((w) => (w.install = { ...(w.install as object), maxConcurrency, maxErrors }))).toEqual([]);
  });

  it.each(["0", "0%", "101%", "10.5%", "ten", "-1"])("rejects the concurrency %s", (maxConcurrency) => {
    expect(windowProblems((w) => (w.scan = { ...(w.scan as object), maxConcurrency }))).toEqual([
      `${at}.scan.maxConcurrency: ${JSON.stringify(maxConcurrency)} is not a concurrency: a count from 1 (e.g. "10") or a percentage from 1% to 100% (e.g. "25%")`,
    ]);
  });

  it.each(["101%", "-1", "01"])("rejects the error threshold %s", (maxErrors) => {
    expect(windowProblems((w) => (w.install = { ...(w.install as object), maxErrors }))).toEqual([
      `${at}.install.maxErrors: ${JSON.stringify(maxErrors)} is not an error threshold: a count from 0 (e.g. "1") or a percentage from 0% to 100% (e.g. "5%")`,
    ]);
  });
});

describe("tasks and references", () => {
  it("accepts a scan-only window", () => {
    expect(windowProblems((w) => delete w.install)).toEqual([]);
  });

  it("rejects a window without tasks", () => {
    expect(
      windowProblems((w) => {
        delete w.scan;
        delete w.install;
      }),
    ).toEqual([`${at}: window "dev-weekly" has neither a scan nor an install task`]);
  });

  it("rejects a patch group whose window does not exist", () => {
    expect(problemsAfter((d) => (d.environments.dev.patchGroups[2].maintenanceWindow = "dev-nightly"))).toEqual([
      'dev.patchGroups[2].maintenanceWindow: "dev-nightly" is not a maintenance window of dev (defined: dev-weekly)',
    ]);
  });

  it("rejects a window that patches no group", () => {
    expect(problemsAfter((d) => d.environments.dev.maintenanceWindows.push({ ...d.environments.dev.maintenanceWindows[0], name: "dev-spare" }))).toEqual([
      'dev.maintenanceWindows[1].name: window "dev-spare" patches no patch group; set maintenanceWindow on a patch group or remove the window',
    ]);
  });

  it("rejects two windows with one name", () => {
    expect(problemsAfter((d) => d.environments.dev.maintenanceWindows.push({ ...d.environments.dev.maintenanceWindows[0] }))).toEqual([
      'dev.maintenanceWindows[1].name: "dev-weekly" is already the name of dev.maintenanceWindows[0]',
    ]);
  });

  it("rejects an unknown reboot option with the allowed values", () => {
    expect(windowProblems((w) => (w.install = { ...(w.install as object), rebootOption: "Reboot" }))).toEqual([
      `${at}.install.rebootOption: "Reboot" is not allowed; allowed: "RebootIfNeeded", "NoReboot"`,
    ]);
  });
});
