import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "./index.js";
import { exampleWith, problemsAfter } from "../../test/support/config.js";

describe("change freezes (org.freezes, <env>.freezes)", () => {
  it("takes dates and timestamps with offset, org-wide and per environment", () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        d.environments.prod.freezes = [{ start: "2027-03-01T18:00:00-06:00", end: "2027-03-02T06:00:00-06:00", reason: "launch night" }];
      }),
    );
    expect(config.org.freezes).toEqual([{ start: "2026-12-18", end: "2027-01-03", timeZone: "US/Central", reason: "year-end freeze" }]);
    expect(config.environments.find((e) => e.name === "prod")!.freezes).toHaveLength(1);
    expect(config.environments.find((e) => e.name === "dev")!.freezes).toEqual([]);
  });

  it("a one-day freeze may end on the day it starts (a date as end includes that day)", () => {
    expect(problemsAfter((d) => (d.org.freezes = [{ start: "2027-01-06", end: "2027-01-06", timeZone: "UTC", reason: "one day" }]))).toEqual([]);
  });

  it("a date needs the time zone whose midnights bound it; timestamps keep their offsets", () => {
    expect(
      problemsAfter((d) => {
        d.org.freezes = [
          { start: "2026-12-18", end: "2027-01-03", reason: "year-end" },
          { start: "2027-02-01T18:00:00-06:00", end: "2027-02-03", reason: "half dated" },
          { start: "2027-03-01", end: "2027-03-02", timeZone: "Mars/Olympus", reason: "no such zone" },
          { start: "2027-04-01T18:00:00-05:00", end: "2027-04-02T06:00:00-05:00", reason: "timestamps only" },
        ];
      }),
    ).toEqual([
      `org.freezes[0].timeZone: is missing: "2026-12-18" and "2027-01-03" are dates, and a date needs the IANA time zone whose midnights bound it (e.g. "US/Central", the windows' zone); or give both ends as timestamps with offset`,
      `org.freezes[1].timeZone: is missing: "2027-02-03" is a date, and a date needs the IANA time zone whose midnights bound it (e.g. "US/Central", the windows' zone); or give both ends as timestamps with offset`,
      'org.freezes[2].timeZone: "Mars/Olympus" is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")',
    ]);
  });

  it("reports every bad freeze: the field, the value and what is allowed", () => {
    expect(
      problemsAfter((d) => {
        d.org.freezes = [
          { start: "2026-12-32", end: "2027-01-03", timeZone: "UTC", reason: "year-end" },
          { start: "2027-01-10", end: "2027-01-09", timeZone: "UTC", reason: "backwards" },
          { start: "2027-02-01T10:00:00", end: "2027-02-02", timeZone: "UTC", reason: "no offset" },
          { start: "2027-03-01", end: "2027-03-02", timeZone: "UTC", reason: "two\nlines" },
          { start: "2027-04-01T10:00:00Z", end: "2027-04-01T10:00:00+00:00", reason: "empty" },
        ];
        d.environments.prod.freezes = [{ start: "2027-05-01", end: "2027-05-02", timeZone: "UTC", reason: "", until: "2027-06-01" }];
      }),
    ).toEqual([
      'org.freezes[0].start: "2026-12-32" is neither a date (e.g. "2026-12-18", a whole day in the given timeZone) nor an ISO-8601 timestamp with offset (e.g. "2026-12-18T17:00:00-06:00")',
      'org.freezes[1].end: "2027-01-09" is not after the start "2027-01-10"; a freeze ends after it starts (a date as end includes that day)',
      'org.freezes[2].start: "2027-02-01T10:00:00" is neither a date (e.g. "2026-12-18", a whole day in the given timeZone) nor an ISO-8601 timestamp with offset (e.g. "2026-12-18T17:00:00-06:00")',
      'org.freezes[3].reason: "two\\nlines" has a control character (a line break, a tab); give the reason in one line',
      'org.freezes[4].end: "2027-04-01T10:00:00+00:00" is not after the start "2027-04-01T10:00:00Z"; a freeze ends after it starts (a date as end includes that day)',
      'prod.freezes[0].reason: "" is shorter than 1 characters',
      'prod.freezes[0]: unknown field "until"',
    ]);
  });
});

describe("backup before install (maintenanceWindows[].install.backup)", () => {
  it("fills in retention and timeout", () => {
    const config = parseOrgConfig(exampleWith((d) => (d.environments.dev.maintenanceWindows[0].install.backup = { kind: "snapshot" })));
    expect(config.environments.find((e) => e.name === "dev")!.maintenanceWindows[0]!.install!.backup).toEqual({
      kind: "snapshot",
      retentionDays: 14,
      timeoutMinutes: 30,
    });
  });

  it("refuses a backup wait that leaves the patch command less than 30 minutes of the cutoff, naming the field and the most it may be", () => {
    expect(problemsAfter((d) => (d.environments.prod.maintenanceWindows[0].install.backup.timeoutMinutes = 31))).toEqual([
      "prod.maintenanceWindows[0].install.backup.timeoutMinutes: 31 leaves the patch command 29 minutes of the 1 h cutoff of window \"prod-monthly\"; the install runbook's runs go on past the cutoff (only new ones stop), so a run that starts at the cutoff must be done by the window's end: give at most 30 minutes, or a longer cutoffHours (the patch command gets at least 30 minutes)",
    ]);
    expect(problemsAfter((d) => Object.assign(d.environments.prod.maintenanceWindows[0], { durationHours: 4, cutoffHours: 3 }))).toEqual([]);
    expect(
      problemsAfter((d) => {
        Object.assign(d.environments.prod.maintenanceWindows[0], { durationHours: 4, cutoffHours: 3 });
        d.environments.prod.maintenanceWindows[0].install.backup.timeoutMinutes = 150;
      }),
    ).toEqual([]);
  });

  it("says when no cutoff can hold the backup wait, and leaves a cutoff not below the duration to the window's own check", () => {
    expect(
      problemsAfter((d) => {
        Object.assign(d.environments.prod.maintenanceWindows[0], { durationHours: 24, cutoffHours: 0 });
        d.environments.prod.maintenanceWindows[0].install.backup.timeoutMinutes = 1400;
      }),
    ).toEqual([
      "prod.maintenanceWindows[0].install.backup.timeoutMinutes: 1400 leaves no time to patch in window \"prod-monthly\": the install runbook's runs go on past the cutoff (only new ones stop), so a run that starts at the cutoff must be done by the window's end, and no cutoff (at most 23 h) holds the wait and 30 minutes for the patch command; give at most 1350 minutes",
    ]);
    expect(problemsAfter((d) => Object.assign(d.environments.prod.maintenanceWindows[0], { durationHours: 1, cutoffHours: 1 }))).toEqual([
      "prod.maintenanceWindows[0].cutoffHours: 1 is not below the window's duration of 1 h; no task could start",
    ]);
  });

  it("refuses a cutoff of 0 where the install task runs the runbook: for freezes too, without a backup", () => {
    expect(problemsAfter((d) => (d.environments.dev.maintenanceWindows[0].cutoffHours = 0))).toEqual([
      "dev.maintenanceWindows[0].cutoffHours: 0 is too short for window \"dev-weekly\", whose install task runs patchline's install runbook (its environment has change freezes); the install runbook's runs go on past the cutoff (only new ones stop), so a run that starts at the cutoff must be done by the window's end: give a cutoff of at least 1 h (at least 30 minutes for the patch command)",
    ]);
    // without freezes or a backup the install task is Run Command's, which the cutoff cancels
    expect(
      problemsAfter((d) => {
        d.org.freezes = [];
        d.environments.dev.maintenanceWindows[0].cutoffHours = 0;
      }),
    ).toEqual([]);
  });

  it("reports a kind, retention or timeout out of range", () => {
    expect(
      problemsAfter((d) => (d.environments.prod.maintenanceWindows[0].install.backup = { kind: "image", retentionDays: 0, timeoutMinutes: 5000 })),
    ).toEqual([
      'prod.maintenanceWindows[0].install.backup.kind: "image" is not allowed; allowed: "ami", "snapshot"',
      "prod.maintenanceWindows[0].install.backup.retentionDays: 0 is not a retention in days: a whole number from 1 to 3650",
      "prod.maintenanceWindows[0].install.backup.timeoutMinutes: 5000 is not a timeout in minutes: a whole number from 10 to 1440",
    ]);
  });
});

describe("approval during a freeze (approval.duringFreeze)", () => {
  it("waits by default and takes end", () => {
    expect(parseOrgConfig(exampleWith(() => undefined)).environments.find((e) => e.name === "prod")!.approval!.duringFreeze).toBe("wait");
    expect(problemsAfter((d) => (d.environments.prod.approval.duringFreeze = "end"))).toEqual([]);
    expect(problemsAfter((d) => (d.environments.prod.approval.duringFreeze = "skip"))).toEqual([
      'prod.approval.duringFreeze: "skip" is not allowed; allowed: "wait", "end"',
    ]);
  });
});

describe("restore operators (org.restoreOperatorRoleArns)", () => {
  it("names roles of the central account only", () => {
    expect(problemsAfter((d) => d.org.restoreOperatorRoleArns.push("arn:aws:iam::400000000002:role/ops"))).toEqual([
      'org.restoreOperatorRoleArns[1]: "arn:aws:iam::400000000002:role/ops" is a role of account 400000000002; the restore operator roles trust roles of the central account (100000000001) only',
    ]);
    expect(problemsAfter((d) => (d.org.restoreOperatorRoleArns = ["ops"]))).toEqual([
      'org.restoreOperatorRoleArns[0]: "ops" is not an IAM role ARN (arn:aws:iam::<12-digit account id>:role/<optional path/><name>)',
    ]);
  });
});
