import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { synthCommand } from "../stacks/app/synth-command.js";
import { exampleWith } from "./support/config.js";
import { scratchFolders } from "./support/scratch.js";

/** Several independent mistakes in one configuration: every one must be reported in one run. */
const badInput = exampleWith((d) => {
  d.environments.prod.accounts[1].id = "12345";
  d.environments.prod.approveAfterDays = 5;
  d.environments.dev.maintenanceWindows[0].schedule = "cron(0 10 * * TUE *)";
  d.environments.dev.maintenanceWindows[0].timeZone = "Central";
  d.environments.preprod.maintenanceWindows[0].install.hooks.onExit = "patchline-missing";
  d.environments.preprod.regions = ["us-east-7"];
});

// field problems in the order of the config, then the cross-field ones
const expectedProblems = [
  'dev.maintenanceWindows[0].schedule: "cron(0 10 * * TUE *)" is not a valid AWS cron expression: day-of-month and day-of-week cannot both be set; one of them must be "?"',
  'dev.maintenanceWindows[0].timeZone: "Central" is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")',
  'preprod.regions[0]: "us-east-7" is not an AWS region code (e.g. "us-east-1")',
  'prod.accounts[1].id: "12345" is not a 12-digit AWS account id',
  "prod.approveAfterDays: 5 is lower than preprod's 7; approve-after-days may not decrease along dev → preprod → prod",
  'preprod.maintenanceWindows[0].install.hooks.onExit: "patchline-missing" is not in org.hookDocuments (defined: patchline-record-running-services, patchline-verify-services)',
];

describe("synth with a bad configuration", () => {
  const { folder } = scratchFolders("patchline-bad-config-");

  async function run(outdir: string) {
    const reported: string[] = [];
    const code = await synthCommand({ input: badInput, env: { CDKTF_OUTDIR: outdir, PATCHLINE_OFFLINE: "1" }, reportProblems: (m) => reported.push(m) });
    return { code, reported: reported.join("\n") };
  }

  it("exits 1, lists every problem at once, one line each, and writes nothing", async () => {
    const parent = folder();
    const outdir = join(parent, "cdktf.out");
    const { code, reported } = await run(outdir);
    expect(code).toBe(1);
    expect(reported.split("\n")).toEqual([`patchline configuration has ${expectedProblems.length} problems:`, ...expectedProblems.map((p) => `  - ${p}`)]);
    expect(existsSync(outdir)).toBe(false);
  });

  it("leaves the output of the previous synth untouched", async () => {
    const outdir = folder();
    mkdirSync(join(outdir, "stacks", "prod-web-prod"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "prod-web-prod", "cdk.tf.json"), "{}");
    expect((await run(outdir)).code).toBe(1);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["prod-web-prod"]);
    expect(readFileSync(join(outdir, "stacks", "prod-web-prod", "cdk.tf.json"), "utf8")).toBe("{}");
  });

  it("refuses a plan synth without a plan role, and an unknown role", async () => {
    const reported: string[] = [];
    const withoutPlanRole = exampleWith((d) => delete d.org.planRoleName);
    const outdir = folder();
    expect(
      await synthCommand({
        input: withoutPlanRole,
        env: { CDKTF_OUTDIR: join(outdir, "out"), PATCHLINE_ROLE: "plan" },
        reportProblems: (m) => reported.push(m),
      }),
    ).toBe(1);
    expect(await synthCommand({ input: withoutPlanRole, env: { PATCHLINE_ROLE: "admin" }, reportProblems: (m) => reported.push(m) })).toBe(1);
    expect(reported).toEqual([
      "patchline configuration has 1 problem:\n  - org.planRoleName: is required to synthesize for plans (PATCHLINE_ROLE=plan): name the read-only role every account has for pull-request plans",
      'PATCHLINE_ROLE: "admin" is not a role; allowed: "deploy" (default), "plan" (read-only, for pull-request plans)',
    ]);
    expect(existsSync(join(outdir, "out"))).toBe(false);
  });

  it("rejects a synth worker count that is not a whole number", async () => {
    const reported: string[] = [];
    const code = await synthCommand({ input: badInput, env: { PATCHLINE_SYNTH_WORKERS: "two" }, reportProblems: (m) => reported.push(m) });
    expect(code).toBe(1);
    expect(reported).toEqual(['PATCHLINE_SYNTH_WORKERS: "two" is not a whole number from 1']);
  });
});
