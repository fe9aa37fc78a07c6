import { describe, expect, it } from "vitest";
import { exampleWith, type ConfigDraft } from "../../test/support/config.js";
import { schedulePreviewCommand } from "../schedule-preview.js";

function run(args: string[], change: (d: ConfigDraft) => void = () => undefined) {
  const out: string[] = [];
  const code = schedulePreviewCommand(
    args,
    { print: (t) => out.push(t), error: () => undefined, now: () => new Date("2026-12-10T00:00:00Z") },
    exampleWith(change),
  );
  return { code, out: out.join("\n") };
}

describe("schedule preview: runs in a change freeze", () => {
  it("marks the install runs that fall into a freeze (the example's year-end freeze)", () => {
    expect(run(["--env", "dev", "--count", "4"]).out.split("\n").slice(2, 8)).toEqual([
      "dev",
      "  dev-weekly: cron(0 10 ? * TUE *) in US/Central, 3 h, cutoff 1 h; scan + install",
      "    Tue 2026-12-15 10:00 -06:00   Tue 2026-12-15 16:00 UTC",
      '    Tue 2026-12-22 10:00 -06:00   Tue 2026-12-22 16:00 UTC   frozen: "year-end freeze" (org, 2026-12-18 06:00 UTC – 2027-01-04 06:00 UTC), no install',
      '    Tue 2026-12-29 10:00 -06:00   Tue 2026-12-29 16:00 UTC   frozen: "year-end freeze" (org, 2026-12-18 06:00 UTC – 2027-01-04 06:00 UTC), no install',
      "    Tue 2027-01-05 10:00 -06:00   Tue 2027-01-05 16:00 UTC",
    ]);
  });

  it("says when a freeze starts while a window is open, and names an environment's own freeze", () => {
    const { out } = run(["--env", "dev", "--count", "1"], (d) => {
      d.org.freezes = [];
      d.environments.dev.freezes = [{ start: "2026-12-15T17:00:00Z", end: "2026-12-16", timeZone: "UTC", reason: "release" }];
    });
    expect(out).toContain(
      '    Tue 2026-12-15 10:00 -06:00   Tue 2026-12-15 16:00 UTC   freeze "release" (dev, 2026-12-15 17:00 UTC – 2026-12-17 00:00 UTC) starts in the window: instances not started by then are not patched',
    );
  });

  it("a freeze given as dates is whole days in its time zone: a 21:00 Central run on its last day is frozen, the one before its first day is not", () => {
    const { out } = run(["--env", "dev", "--count", "5"], (d) => {
      d.org.freezes = [{ start: "2026-12-11", end: "2026-12-12", timeZone: "US/Central", reason: "release" }];
      d.environments.dev.maintenanceWindows[0].schedule = "cron(0 21 ? * * *)";
    });
    expect(out.split("\n").filter((line) => line.startsWith("    "))).toEqual([
      "    Wed 2026-12-09 21:00 -06:00   Thu 2026-12-10 03:00 UTC",
      "    Thu 2026-12-10 21:00 -06:00   Fri 2026-12-11 03:00 UTC",
      '    Fri 2026-12-11 21:00 -06:00   Sat 2026-12-12 03:00 UTC   frozen: "release" (org, 2026-12-11 06:00 UTC – 2026-12-13 06:00 UTC), no install',
      '    Sat 2026-12-12 21:00 -06:00   Sun 2026-12-13 03:00 UTC   frozen: "release" (org, 2026-12-11 06:00 UTC – 2026-12-13 06:00 UTC), no install',
      "    Sun 2026-12-13 21:00 -06:00   Mon 2026-12-14 03:00 UTC",
    ]);
  });

  it("a window that only scans is not stopped by a freeze", () => {
    const { out } = run(["--env", "dev", "--count", "3"], (d) => delete d.environments.dev.maintenanceWindows[0].install);
    expect(out).not.toContain("freeze");
  });

  it("the JSON carries the freeze of each run", () => {
    const json = JSON.parse(run(["--env", "dev", "--count", "2", "--json"]).out) as {
      environments: { windows: { runs: { utc: string; freeze?: unknown }[] }[] }[];
    };
    expect(json.environments[0]!.windows[0]!.runs).toEqual([
      { utc: "2026-12-15T16:00:00Z", local: "Tue 2026-12-15 10:00", utcOffset: "-06:00" },
      {
        utc: "2026-12-22T16:00:00Z",
        local: "Tue 2026-12-22 10:00",
        utcOffset: "-06:00",
        freeze: { reason: "year-end freeze", scope: "org", start: "2026-12-18T06:00:00Z", end: "2027-01-04T06:00:00Z", whole: true },
      },
    ]);
  });
});
