import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { nextRuns } from "../../contracts/maintenance-schedule.js";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { MemberAccountStack } from "../../stacks/member-account-stack.js";
import { Naming } from "../../stacks/naming.js";
import { exampleWith, type ConfigDraft } from "../../test/support/config.js";
import { bodiesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { schedulePreviewCommand } from "../schedule-preview.js";
import { previewSchedules } from "./preview.js";

/** Runs the command on the example organization after `change`; what it prints and its exit code. */
function run(args: string[], change: (d: ConfigDraft) => void = () => undefined) {
  const out: string[] = [];
  const err: string[] = [];
  const code = schedulePreviewCommand(
    args,
    { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date("2026-11-24T00:00:00Z") },
    exampleWith(change),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The next runs of one dev window with the given schedule, as `<local> <offset> = <UTC>`. */
function runsOf(window: Record<string, unknown>, from: string, count: number): string[] {
  const input: OrgConfigInput = exampleWith((d) => Object.assign(d.environments.dev.maintenanceWindows[0], window));
  const [dev] = previewSchedules(parseOrgConfig(input), { from: new Date(from), count, environments: ["dev"] });
  return dev!.windows[0]!.runs.map((r) => `${r.local} ${r.utcOffset} = ${r.utc}`);
}

describe("schedule preview", () => {
  it("lists every window of every environment with its next runs in its zone and in UTC, then the promotion check", () => {
    expect(run(["--count", "3"])).toEqual({
      code: 0,
      err: "",
      out: [
        "Maintenance windows, next 3 runs after 2026-11-24T00:00:00Z (local time in the window's zone, then UTC)",
        "",
        "dev",
        "  dev-weekly: cron(0 10 ? * TUE *) in US/Central, 3 h, cutoff 1 h; scan + install",
        "    Tue 2026-11-24 10:00 -06:00   Tue 2026-11-24 16:00 UTC",
        "    Tue 2026-12-01 10:00 -06:00   Tue 2026-12-01 16:00 UTC",
        "    Tue 2026-12-08 10:00 -06:00   Tue 2026-12-08 16:00 UTC",
        "",
        "preprod (installs at least 2 days after dev)",
        "  preprod-weekly: cron(0 21 ? * THU *) in US/Central, 3 h, cutoff 1 h; scan + install",
        "    Thu 2026-11-26 21:00 -06:00   Fri 2026-11-27 03:00 UTC",
        "    Thu 2026-12-03 21:00 -06:00   Fri 2026-12-04 03:00 UTC",
        "    Thu 2026-12-10 21:00 -06:00   Fri 2026-12-11 03:00 UTC",
        "",
        "prod (installs at least 5 days after preprod)",
        "  prod-monthly: cron(0 21 ? * WED#1 *) in US/Central, 2 h, cutoff 1 h; scan + install",
        // prod patches in canary waves: web-prod at the schedule, payments-prod and data-prod on the Friday after
        "    wave canary (1 account), at the window's schedule",
        "      Wed 2026-12-02 21:00 -06:00   Thu 2026-12-03 03:00 UTC",
        "      Wed 2027-01-06 21:00 -06:00   Thu 2027-01-07 03:00 UTC",
        "      Wed 2027-02-03 21:00 -06:00   Thu 2027-02-04 03:00 UTC",
        "    wave main (2 accounts), 48 h later: cron(0 21 ? * WED#1 *) + 2 days",
        "      Fri 2026-12-04 21:00 -06:00   Sat 2026-12-05 03:00 UTC",
        "      Fri 2027-01-08 21:00 -06:00   Sat 2027-01-09 03:00 UTC",
        "      Fri 2027-02-05 21:00 -06:00   Sat 2027-02-06 03:00 UTC",
        "",
        "Promotion order in time:",
        "  dev → preprod: ok, 3 install runs checked, shortest gap 2 days 11 hours (at least 2 days)",
        "  preprod → prod (first wave canary): ok, 3 install runs checked, shortest gap 6 days (at least 5 days)",
      ].join("\n"),
    });
  });

  it("shows one environment with --env, marks disabled and scan-only windows, and the offset of Patch Tuesday + 2", () => {
    const { out } = run(["--env", "prod", "--count", "2"], (d) => {
      // without waves: each window's runs right under it (waves: tools/schedule-preview/waves.test.ts)
      delete d.environments.prod.waves;
      delete d.environments.prod.accounts[1].wave;
      d.environments.prod.maintenanceWindows.push(
        {
          name: "prod-scan",
          schedule: "cron(0 21 ? * TUE#2 *)",
          scheduleOffsetDays: 2,
          timeZone: "Europe/Berlin",
          durationHours: 2,
          cutoffHours: 1,
          scan: { maxConcurrency: "10%", maxErrors: "10%" },
        },
        {
          name: "prod-spare",
          schedule: "cron(0 3 ? * SUN *)",
          timeZone: "UTC",
          durationHours: 2,
          cutoffHours: 1,
          enabled: false,
          scan: { maxConcurrency: "10%", maxErrors: "10%" },
        },
      );
      d.environments.prod.patchGroups[1].maintenanceWindow = "prod-scan";
      d.environments.prod.patchGroups[2].maintenanceWindow = "prod-spare";
    });
    expect(out.split("\n").slice(2, 11)).toEqual([
      "prod (installs at least 5 days after preprod)",
      "  prod-monthly: cron(0 21 ? * WED#1 *) in US/Central, 2 h, cutoff 1 h; scan + install",
      "    Wed 2026-12-02 21:00 -06:00   Thu 2026-12-03 03:00 UTC",
      "    Wed 2027-01-06 21:00 -06:00   Thu 2027-01-07 03:00 UTC",
      // Patch Tuesday is the 2nd Tuesday: 2026-12-08 and 2027-01-12, two days later on Thursday
      "  prod-scan: cron(0 21 ? * TUE#2 *) + 2 days in Europe/Berlin, 2 h, cutoff 1 h; scan",
      "    Thu 2026-12-10 21:00 +01:00   Thu 2026-12-10 20:00 UTC",
      "    Thu 2027-01-14 21:00 +01:00   Thu 2027-01-14 20:00 UTC",
      "  prod-spare: cron(0 3 ? * SUN *) in UTC, 2 h, cutoff 1 h; scan (disabled: no runs)",
      "",
    ]);
    expect(out).toContain("Promotion order in time:\n  preprod → prod: ok");
    expect(out).not.toContain("dev-weekly");
  });

  it("writes JSON for machines", () => {
    const json = JSON.parse(run(["--json", "--count", "1", "--env", "dev"]).out) as {
      environments: { windows: { runs: unknown[] }[] }[];
      promotion: unknown[];
    };
    expect(json.environments[0]!.windows[0]!.runs).toEqual([{ utc: "2026-11-24T16:00:00Z", local: "Tue 2026-11-24 10:00", utcOffset: "-06:00" }]);
    expect(json.promotion).toEqual([]);
  });
});

describe("run times across daylight saving time switches", () => {
  it("US/Central: a 21:00 window stays at 21:00 local when the clocks go back on 2026-11-01, an hour later in UTC", () => {
    expect(runsOf({ schedule: "cron(0 21 ? * WED#1 *)", timeZone: "US/Central" }, "2026-10-01T00:00:00Z", 3)).toEqual([
      "Wed 2026-10-07 21:00 -05:00 = 2026-10-08T02:00:00Z",
      "Wed 2026-11-04 21:00 -06:00 = 2026-11-05T03:00:00Z",
      "Wed 2026-12-02 21:00 -06:00 = 2026-12-03T03:00:00Z",
    ]);
  });

  it("US/Central: 02:30 on 2027-03-14 does not exist (02:00 → 03:00); the run moves forward by the gap", () => {
    expect(runsOf({ schedule: "cron(30 2 ? * SUN#2 *)", timeZone: "US/Central" }, "2027-03-01T00:00:00Z", 2)).toEqual([
      "Sun 2027-03-14 03:30 -05:00 = 2027-03-14T08:30:00Z",
      "Sun 2027-04-11 02:30 -05:00 = 2027-04-11T07:30:00Z",
    ]);
  });

  it("Europe/Berlin: 02:00 happens twice on 2026-10-25 (03:00 → 02:00); the run is the first one", () => {
    expect(runsOf({ schedule: "cron(0 2 ? * SUN *)", timeZone: "Europe/Berlin" }, "2026-10-17T00:00:00Z", 3)).toEqual([
      "Sun 2026-10-18 02:00 +02:00 = 2026-10-18T00:00:00Z",
      "Sun 2026-10-25 02:00 +02:00 = 2026-10-25T00:00:00Z",
      "Sun 2026-11-01 02:00 +01:00 = 2026-11-01T01:00:00Z",
    ]);
  });

  it("Europe/Berlin: 02:30 on 2027-03-28 does not exist (02:00 → 03:00)", () => {
    expect(runsOf({ schedule: "cron(30 2 ? * SUN *)", timeZone: "Europe/Berlin" }, "2027-03-27T00:00:00Z", 2)).toEqual([
      "Sun 2027-03-28 03:30 +02:00 = 2027-03-28T01:30:00Z",
      "Sun 2027-04-04 02:30 +02:00 = 2027-04-04T00:30:00Z",
    ]);
  });
});

describe("promotion order in time", () => {
  /** Preprod every Thursday 21:00 and prod every Wednesday 21:00 US/Central, prod waiting `days`. */
  const weeklyProd = (days: number) => (d: ConfigDraft) => {
    d.environments.prod.maintenanceWindows[0].schedule = "cron(0 21 ? * WED *)";
    d.environments.prod.minDaysAfterPrevious = days;
  };

  it("reports each window whose runs come too soon after the previous environment's, like a schema error, and exits 1", () => {
    const result = run(["--count", "3"], (d) => (d.environments.prod.minDaysAfterPrevious = 7));
    expect(result.code).toBe(1);
    expect(result.out).toContain("  preprod → prod (first wave canary): 1 problem, 3 install runs checked, shortest gap 6 days (at least 7 days)");
    expect(result.err).toBe(
      [
        "patchline schedule has 1 problem:",
        "  - prod.maintenanceWindows[0].schedule: \"cron(0 21 ? * WED#1 *)\" runs Wed 2026-12-02 21:00 US/Central (wave canary), 6 days after preprod's run Thu 2026-11-26 21:00 US/Central (preprod-weekly) (3 of its next 3 runs; the first shown); prod.minDaysAfterPrevious requires at least 7 days after preprod's install run",
      ].join("\n"),
    );
  });

  it("checks preprod after dev as well", () => {
    expect(run(["--count", "2", "--env", "preprod"], (d) => (d.environments.preprod.minDaysAfterPrevious = 3)).err).toBe(
      [
        "patchline schedule has 1 problem:",
        "  - preprod.maintenanceWindows[0].schedule: \"cron(0 21 ? * THU *)\" runs Thu 2026-11-26 21:00 US/Central, 2 days 11 hours after dev's run Tue 2026-11-24 10:00 US/Central (dev-weekly) (2 of its next 2 runs; the first shown); preprod.minDaysAfterPrevious requires at least 3 days after dev's install run",
      ].join("\n"),
    );
  });

  it("counts elapsed time: the week the US clocks go forward (2027-03-14) is an hour short of 6 days", () => {
    const result = run(["--from", "2027-03-01T00:00:00Z", "--count", "4", "--env", "prod"], weeklyProd(6));
    // prod Wed 03, 10, 17, 24; preprod Thu before each: Feb 25, Mar 4, Mar 11 (CST, UTC-6), Mar 18
    expect(result.err).toBe(
      [
        "patchline schedule has 1 problem:",
        "  - prod.maintenanceWindows[0].schedule: \"cron(0 21 ? * WED *)\" runs Wed 2027-03-17 21:00 US/Central (wave canary), 5 days 23 hours after preprod's run Thu 2027-03-11 21:00 US/Central (preprod-weekly); prod.minDaysAfterPrevious requires at least 6 days after preprod's install run",
      ].join("\n"),
    );
  });

  it("passes the week the clocks go back (2026-11-01): 6 days and 1 hour", () => {
    const result = run(["--from", "2026-10-26T00:00:00Z", "--count", "2", "--env", "prod"], weeklyProd(6));
    expect(result.code).toBe(0);
    expect(result.out).toContain("  preprod → prod (first wave canary): ok, 2 install runs checked, shortest gap 6 days (at least 6 days)");
  });

  it("counts only install runs of enabled windows of the previous environment", () => {
    const scanOnly = run(["--count", "1", "--env", "prod"], (d) => delete d.environments.preprod.maintenanceWindows[0].install);
    expect(scanOnly.err).toContain(
      '  - prod.maintenanceWindows[0].schedule: "cron(0 21 ? * WED#1 *)" runs Wed 2026-12-02 21:00 US/Central (wave canary) with no preprod install run in the 366 days before it; prod.minDaysAfterPrevious',
    );
    const disabled = run(["--count", "1", "--env", "prod"], (d) => (d.environments.preprod.maintenanceWindows[0].enabled = false));
    expect(disabled.code).toBe(1);
  });

  it("finds the previous environment's run before the preview starts", () => {
    // prod runs Wed 2026-11-25 21:00; preprod's run before it was Thu 2026-11-19, before --from
    const result = run(["--from", "2026-11-25T00:00:00Z", "--count", "1", "--env", "prod"], weeklyProd(6));
    expect(result).toMatchObject({ code: 0, err: "" });
  });

  it("does not check a pair whose later environment sets no minimum", () => {
    const result = run(["--count", "1"], (d) => delete d.environments.prod.minDaysAfterPrevious);
    expect(result.code).toBe(0);
    expect(result.out).toContain("  preprod → prod (first wave canary): not checked (set prod.minDaysAfterPrevious)");
  });
});

describe("canary waves", () => {
  it("lists each wave of a window with its accounts and runs; a Patch Tuesday + 2 window's wave adds to the offset; a disabled window's waves have no runs", () => {
    const { out } = run(["--env", "prod", "--count", "1"], (d) => {
      d.environments.prod.maintenanceWindows.push(
        { ...structuredClone(d.environments.prod.maintenanceWindows[0]), name: "prod-tuesday", schedule: "cron(0 22 ? * TUE#2 *)", scheduleOffsetDays: 2 },
        { ...structuredClone(d.environments.prod.maintenanceWindows[0]), name: "prod-spare", enabled: false },
      );
      d.environments.prod.patchGroups[1].maintenanceWindow = "prod-tuesday";
      d.environments.prod.patchGroups[2].maintenanceWindow = "prod-spare";
      d.environments.prod.waves[1].delayHours = 26;
    });
    expect(out.split("\n").slice(2, 17)).toEqual([
      "prod (installs at least 5 days after preprod)",
      "  prod-monthly: cron(0 21 ? * WED#1 *) in US/Central, 2 h, cutoff 1 h; scan + install",
      "    wave canary (1 account), at the window's schedule",
      "      Wed 2026-12-02 21:00 -06:00   Thu 2026-12-03 03:00 UTC",
      // 26 h later on the Central clock: 23:00 the next day
      "    wave main (2 accounts), 26 h later: cron(0 23 ? * WED#1 *) + 1 day",
      "      Thu 2026-12-03 23:00 -06:00   Fri 2026-12-04 05:00 UTC",
      "  prod-tuesday: cron(0 22 ? * TUE#2 *) + 2 days in US/Central, 2 h, cutoff 1 h; scan + install",
      "    wave canary (1 account), at the window's schedule",
      "      Thu 2026-12-10 22:00 -06:00   Fri 2026-12-11 04:00 UTC",
      // Patch Tuesday (8 December) + 2 days + 26 h: Saturday 00:00
      "    wave main (2 accounts), 26 h later: cron(0 0 ? * TUE#2 *) + 4 days",
      "      Sat 2026-12-12 00:00 -06:00   Sat 2026-12-12 06:00 UTC",
      "  prod-spare: cron(0 21 ? * WED#1 *) in US/Central, 2 h, cutoff 1 h; scan + install (disabled: no runs)",
      "    wave canary (1 account), at the window's schedule",
      "    wave main (2 accounts), 26 h later: cron(0 23 ? * WED#1 *) + 1 day",
      "",
    ]);
  });

  it("writes each wave's accounts, schedule and runs in the JSON", () => {
    const json = JSON.parse(run(["--json", "--count", "1", "--env", "prod"]).out) as { environments: { windows: { runs: unknown[]; waves: unknown[] }[] }[] };
    const [window] = json.environments[0]!.windows;
    expect(window!.waves).toEqual([
      {
        name: "canary",
        delayHours: 0,
        accounts: ["web-prod"],
        schedule: "cron(0 21 ? * WED#1 *)",
        runs: [{ utc: "2026-12-03T03:00:00Z", local: "Wed 2026-12-02 21:00", utcOffset: "-06:00" }],
      },
      {
        name: "main",
        delayHours: 48,
        accounts: ["payments-prod", "data-prod"],
        schedule: "cron(0 21 ? * WED#1 *)",
        scheduleOffsetDays: 2,
        runs: [{ utc: "2026-12-05T03:00:00Z", local: "Fri 2026-12-04 21:00", utcOffset: "-06:00" }],
      },
    ]);
    // the window's own runs stay the schedule's: the first wave's
    expect(window!.runs).toEqual([{ utc: "2026-12-03T03:00:00Z", local: "Wed 2026-12-02 21:00", utcOffset: "-06:00" }]);
  });

  it("shows the runs each account's stack renders: the rendered schedule's next runs are the preview's runs of the account's wave", () => {
    const config = parseOrgConfig(exampleWith(() => undefined));
    const prod = config.environments.find((e) => e.name === "prod")!;
    const from = new Date("2027-02-20T00:00:00Z");
    const [preview] = previewSchedules(config, { from, count: 6, environments: ["prod"] });
    const waves = new Map(preview!.windows[0]!.waves!.flatMap((w) => w.accounts.map((account) => [account, w.runs.map((r) => r.utc)])));
    for (const account of prod.accounts) {
      const props = { org: config.org, environment: prod, account, naming: new Naming(config.org), mode: { offline: true } };
      const json = JSON.parse(Testing.synth(new MemberAccountStack(Testing.app(), `prod-${account.name}`, props))) as TerraformJson;
      const windows = bodiesOf(json, "aws_ssm_maintenance_window");
      expect(windows).toHaveLength(prod.regions.length);
      for (const w of windows) {
        const rendered = nextRuns(
          {
            schedule: String(w.schedule),
            timeZone: String(w.schedule_timezone),
            ...(typeof w.schedule_offset === "number" ? { scheduleOffsetDays: w.schedule_offset } : {}),
          },
          from,
          6,
        );
        expect({ account: account.name, runs: rendered.map((r) => r.toISOString().replace(/\.000Z$/, "Z")) }).toEqual({
          account: account.name,
          runs: waves.get(account.name),
        });
      }
    }
    // across the March change the main wave stays at 21:00 Central on the Friday after: 5 March (CST), 9 April (CDT)
    expect(waves.get("data-prod")!.slice(0, 2)).toEqual(["2027-03-06T03:00:00Z", "2027-04-10T02:00:00Z"]);
  });

  it("measures the soak from the previous environment's last wave to this one's first", () => {
    const preprodInWaves = (d: ConfigDraft) => {
      d.environments.preprod.waves = [
        { name: "first", delayHours: 0 },
        { name: "rest", delayHours: 24 },
      ];
      d.environments.preprod.accounts[1].wave = "first";
    };
    // preprod's last wave runs Friday 21:00, prod's canary the Wednesday after: 5 days
    expect(run(["--count", "3", "--env", "prod"], preprodInWaves).out).toContain(
      "  preprod (last wave rest) → prod (first wave canary): ok, 3 install runs checked, shortest gap 5 days (at least 5 days)",
    );
    const tooSoon = run(["--count", "3", "--env", "prod"], (d) => {
      preprodInWaves(d);
      d.environments.prod.minDaysAfterPrevious = 6;
    });
    expect(tooSoon.code).toBe(1);
    expect(tooSoon.err).toBe(
      [
        "patchline schedule has 1 problem:",
        "  - prod.maintenanceWindows[0].schedule: \"cron(0 21 ? * WED#1 *)\" runs Wed 2026-12-02 21:00 US/Central (wave canary), 5 days after preprod's run Fri 2026-11-27 21:00 US/Central (preprod-weekly, wave rest) (3 of its next 3 runs; the first shown); prod.minDaysAfterPrevious requires at least 6 days after the install run of preprod's last wave (rest)",
      ].join("\n"),
    );
  });
});

describe("schedule preview input", () => {
  it.each([
    [["--count", "0"], '--count: "0" is not a number of runs: a whole number from 1 to 100'],
    [["--from", "next tuesday"], '--from: "next tuesday" is not an ISO-8601 time (e.g. "2026-12-01T00:00:00Z")'],
    [["--env", "qa"], '--env: "qa" is not an environment (configured: dev, preprod, prod)'],
  ])("rejects %j with exit 2", (args, message) => {
    expect(run(args)).toMatchObject({ code: 2, err: message });
  });

  it("reports configuration problems as synth does", () => {
    expect(run([], (d) => (d.environments.dev.minDaysAfterPrevious = 1))).toMatchObject({
      code: 2,
      err: "patchline configuration has 1 problem:\n  - dev.minDaysAfterPrevious: 1 has no environment to wait for: dev is first in dev → preprod → prod",
    });
  });
});
