import { describe, expect, it } from "vitest";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleWith, problemsAfter } from "../../test/support/config.js";
import { promoteExactly } from "../../test/support/promotion.js";
import { parseOrgConfig } from "./index.js";

describe("promotion settings of an environment", () => {
  it("fill in defaults for every field left out", () => {
    const config = parseOrgConfig(exampleWith((d) => (d.environments.prod.promotion = { from: "preprod" })));
    expect(config.environments.find((e) => e.name === "prod")!.promotion).toEqual({
      from: "preprod",
      minInstances: 2,
      maxFailureRate: 0,
      soakDays: 3,
      maxRecordAgeDays: 35,
      mode: "baseline",
    });
  });

  it("read the failure rate as a percentage", () => {
    const rate = (value: string) =>
      parseOrgConfig(exampleWith((d) => (d.environments.prod.promotion.maxFailureRate = value))).environments.find((e) => e.name === "prod")!.promotion!
        .maxFailureRate;
    expect([rate("0%"), rate("0.5%"), rate("5%"), rate("100%")]).toEqual([0, 0.5, 5, 100]);
  });

  it.each([
    ["maxFailureRate", "5", '"5" is not a failure rate: a percentage from "0%" to "100%", e.g. "2%" or "0.5%"'],
    ["maxFailureRate", "101%", '"101%" is not a failure rate: a percentage from "0%" to "100%", e.g. "2%" or "0.5%"'],
    ["minInstances", 0, "0 is not an instance count: a whole number from 1 to 100000"],
    ["soakDays", 91, "91 is not a number of days: a whole number from 0 to 90"],
    ["maxRecordAgeDays", 0, "0 is not a number of days: a whole number from 1 to 366"],
    ["mode", "exact", '"exact" is not allowed; allowed: "baseline", "install-override-list"'],
  ])("rejects %s = %j", (field, value, message) => {
    expect(problemsAfter((d) => (d.environments.prod.promotion[field] = value))).toEqual([`prod.promotion.${field}: ${message}`]);
  });

  it("needs the evidence kept longer than a record stays valid", () => {
    expect(
      problemsAfter((d) => {
        d.org.compliance.evidenceRetentionDays = 35;
      }),
    ).toEqual([
      "prod.promotion.maxRecordAgeDays: 35 is not below org.compliance.evidenceRetentionDays (35); the evidence a record names (and its install override list) would expire while the record is still valid",
    ]);
  });

  it("refuses install-override-list for a window whose install runs AWS-RunPatchBaselineWithHooks, which takes no InstallOverrideList", () => {
    // the example's prod window installs with hooks
    expect(problemsAfter((d) => (d.environments.prod.promotion.mode = "install-override-list"))).toEqual([
      'prod.maintenanceWindows[0].install.document: AWS-RunPatchBaselineWithHooks takes no InstallOverrideList, which prod.promotion.mode "install-override-list" gives the install task of "prod-monthly"; use AWS-RunPatchBaseline (and no hooks) for this window, or promotion mode "baseline"',
    ]);
    expect(problemsAfter((d) => promoteExactly(d))).toEqual([]);
  });

  it("promotes only from an earlier configured environment", () => {
    expect(problemsAfter((d) => (d.environments.prod.promotion.from = "qa"))).toEqual([
      'prod.promotion.from: "qa" is not a configured environment (configured: dev, preprod, prod)',
    ]);
    expect(problemsAfter((d) => (d.environments.prod.promotion.from = "prod"))).toEqual([
      'prod.promotion.from: "prod" is this environment; promote from an earlier one in dev → preprod → prod',
    ]);
    expect(problemsAfter((d) => (d.environments.preprod.promotion = { from: "prod" }))).toEqual([
      'preprod.promotion.from: "prod" comes after preprod in dev → preprod → prod; promote from an earlier environment',
    ]);
  });
});

describe("approval by date (approveUntilDate)", () => {
  it("replaces approve-after-days: one or the other", () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        delete d.environments.prod.approveAfterDays;
        d.environments.prod.approveUntilDate = "2026-11-05";
      }),
    );
    expect(config.environments.find((e) => e.name === "prod")).toMatchObject({ approveUntilDate: "2026-11-05" });
    expect(problemsAfter((d) => (d.environments.prod.approveUntilDate = "2026-11-05"))).toEqual([
      "prod: sets both approveAfterDays and approveUntilDate; Patch Manager takes one or the other: keep one",
    ]);
    expect(problemsAfter((d) => delete d.environments.prod.approveAfterDays)).toEqual([
      "prod: sets neither approveAfterDays nor approveUntilDate; give one (e.g. approveAfterDays: 7)",
    ]);
  });

  it.each(["2026-02-30", "2026-13-01", "2026-01-32", "2026-1-05", "next tuesday"])("rejects %j", (value) => {
    expect(
      problemsAfter((d) => {
        delete d.environments.prod.approveAfterDays;
        d.environments.prod.approveUntilDate = value;
      }),
    ).toEqual([`prod.approveUntilDate: ${JSON.stringify(value)} is not a date (YYYY-MM-DD, e.g. "2026-11-05")`]);
  });

  it("may not move later along the promotion order", () => {
    expect(
      problemsAfter((d) => {
        for (const [name, date] of [
          ["preprod", "2026-11-10"],
          ["prod", "2026-11-12"],
        ] as const) {
          delete d.environments[name].approveAfterDays;
          d.environments[name].approveUntilDate = date;
        }
      }),
    ).toEqual(['prod.approveUntilDate: "2026-11-12" is later than preprod\'s "2026-11-10"; approve-until dates may not increase along dev → preprod → prod']);
  });

  it("keeps the approve-after-days check where environments use days", () => {
    expect(problemsAfter((d) => (d.environments.prod.approveAfterDays = 3))).toEqual([
      "prod.approveAfterDays: 3 is lower than preprod's 7; approve-after-days may not decrease along dev → preprod → prod",
    ]);
    expect(parseOrgConfig(exampleOrganization).environments.map((e) => e.approveAfterDays)).toEqual([0, 7, 14]);
  });
});
