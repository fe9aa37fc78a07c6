import { describe, expect, it } from "vitest";
import { exampleWith, problemsAfter } from "../../test/support/config.js";
import { accountWave, parseOrgConfig, wavesOf } from "./index.js";

const prodOf = (change: Parameters<typeof exampleWith>[0] = () => undefined) =>
  parseOrgConfig(exampleWith(change)).environments.find((e) => e.name === "prod")!;

describe("canary waves", () => {
  it("the example's prod patches web-prod in the canary wave and the other accounts (no wave named) in the last, main", () => {
    const prod = prodOf();
    expect(wavesOf(prod).map((w) => [w.wave?.name, w.wave?.delayHours, w.accounts.map((a) => a.name)])).toEqual([
      ["canary", 0, ["web-prod"]],
      ["main", 48, ["payments-prod", "data-prod"]],
    ]);
    expect(accountWave(prod, prod.accounts[0]!)).toEqual({ name: "main", delayHours: 48, index: 1, first: "canary" });
  });

  it("an environment without waves has one group of every account, and no account has a wave", () => {
    const dev = parseOrgConfig(exampleWith(() => undefined)).environments[0]!;
    expect(wavesOf(dev)).toEqual([{ accounts: dev.accounts }]);
    expect(accountWave(dev, dev.accounts[0]!)).toBeUndefined();
  });

  it("names the wave an account gives that the environment does not have", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[0].wave = "pilot"))).toEqual([
      'prod.accounts[0].wave: "pilot" is not a wave of prod (defined: canary, main)',
    ]);
  });

  it("rejects a wave on an account of an environment without waves", () => {
    expect(problemsAfter((d) => (d.environments.dev.accounts[0].wave = "canary"))).toEqual([
      'dev.accounts[0].wave: "canary" names a wave, but dev has no waves; define dev.waves or remove the field',
    ]);
  });

  it("rejects duplicate names, a delayed first wave and delays that do not increase", () => {
    expect(
      problemsAfter((d) => {
        d.environments.prod.waves = [
          { name: "canary", delayHours: 2 },
          { name: "early", delayHours: 24 },
          { name: "canary", delayHours: 24 },
          { name: "main", delayHours: 12 },
        ];
        d.environments.prod.accounts[0].wave = "early";
      }),
    ).toEqual([
      "prod.waves[0].delayHours: 2 delays the first wave; the first wave runs at the windows' own schedule, so its delayHours is 0",
      'prod.waves[2].name: "canary" is already the name of prod.waves[0]',
      'prod.waves[2].delayHours: 24 is not later than wave "early" (24 h); waves run in the order listed, each later than the one before',
      'prod.waves[3].delayHours: 12 is not later than wave "canary" (24 h); waves run in the order listed, each later than the one before',
    ]);
  });

  it.each([
    [168, "168 is not a delay in hours: a whole number from 0 to 167"],
    [-1, "-1 is not a delay in hours: a whole number from 0 to 167"],
    [1.5, "1.5 is not a delay in hours: a whole number from 0 to 167"],
  ])("rejects a delay of %s hours", (delay, message) => {
    expect(problemsAfter((d) => (d.environments.prod.waves[1].delayHours = delay))).toEqual([`prod.waves[1].delayHours: ${message}`]);
  });

  it("rejects bad wave names, unknown fields and a single wave", () => {
    expect(problemsAfter((d) => (d.environments.prod.waves[1] = { name: "Main", delayHours: 48, accounts: [] }))).toEqual([
      'prod.waves[1].name: "Main" is not a valid wave name: 1-31 lowercase letters, digits and hyphens, starting with a letter',
      'prod.waves[1]: unknown field "accounts"',
    ]);
    expect(
      problemsAfter((d) => {
        d.environments.prod.waves = [{ name: "canary", delayHours: 0 }];
      }),
    ).toEqual(["prod.waves: has 1 wave; one wave is no canary: give two or more, or none"]);
  });

  it("rejects a wave nobody is in: an empty canary would let the rest patch first", () => {
    expect(problemsAfter((d) => delete d.environments.prod.accounts[1].wave)).toEqual([
      'prod.waves[0].name: wave "canary" has no accounts, so the later waves would patch without a canary before them; name it in an account\'s wave (accounts without one are in the last wave), or remove it',
    ]);
    expect(
      problemsAfter((d) => {
        for (const account of d.environments.prod.accounts) account.wave = "canary";
      }),
    ).toEqual(['prod.waves[1].name: wave "main" has no accounts; name it in an account\'s wave (accounts without one are in the last wave), or remove it']);
    // an environment still being set up has no accounts yet
    expect(problemsAfter((d) => (d.environments.prod.accounts = []))).toEqual([]);
  });

  it("names the window and the wave when SSM cannot run the window that much later", () => {
    expect(problemsAfter((d) => Object.assign(d.environments.prod.maintenanceWindows[0], { scheduleOffsetDays: 5 }))).toEqual([
      'prod.waves[1].delayHours: 48 cannot delay window "prod-monthly" for wave "main": 48 h after "cron(0 21 ? * WED#1 *)" + 5 days is 7 days after the cron date (2 from the delay and 5 of scheduleOffsetDays); SSM\'s schedule offset is at most 6 days',
    ]);
    expect(
      problemsAfter((d) => {
        d.environments.prod.maintenanceWindows[0].schedule = "cron(0 20-22 ? * WED#1 *)";
        d.environments.prod.waves[1].delayHours = 50;
      }),
    ).toEqual([
      'prod.waves[1].delayHours: 50 cannot delay window "prod-monthly" for wave "main": the hour field "20-22" of "cron(0 20-22 ? * WED#1 *)" is not a single hour; a delay of 50 h moves the start within the day, which needs one start hour (a delay in whole days, a multiple of 24 h, works with any hour field)',
    ]);
    expect(problemsAfter((d) => (d.environments.prod.maintenanceWindows[0].schedule = "rate(7 days)"))).toEqual([
      'prod.waves[1].delayHours: 48 cannot delay window "prod-monthly" for wave "main": "rate(7 days)" is not a cron schedule: SSM offsets cron schedules only, so no wave can run it later',
    ]);
  });

  it("reports an invalid schedule once, as the schedule's problem", () => {
    expect(problemsAfter((d) => (d.environments.prod.maintenanceWindows[0].schedule = "cron(0 25 ? * WED#1 *)"))).toEqual([
      `prod.maintenanceWindows[0].schedule: "cron(0 25 ? * WED#1 *)" is not a valid AWS cron expression: Number '25' of hours field is bigger than upper limit '23'`,
    ]);
  });
});
