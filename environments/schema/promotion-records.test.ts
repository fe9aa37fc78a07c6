import { describe, expect, it } from "vitest";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleWith } from "../../test/support/config.js";
import { fixtureRecord, PROMOTED_AT, promoteExactly } from "../../test/support/promotion.js";
import { ConfigError, parseOrgConfig, type OrgConfigInput } from "./index.js";

const DAY_MS = 86_400_000;

function problems(input: OrgConfigInput, now = PROMOTED_AT): readonly string[] {
  try {
    parseOrgConfig(input, { now });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const withRecord = (record: unknown, change: Parameters<typeof exampleWith>[0] = () => {}): OrgConfigInput => ({
  ...exampleWith(change),
  promotions: { prod: record },
});

describe("a promotion record at synth", () => {
  it("is attached to its environment when it holds", () => {
    const record = fixtureRecord();
    const config = parseOrgConfig(withRecord(record), { now: PROMOTED_AT });
    expect(config.environments.find((e) => e.name === "prod")!.promotionRecord).toEqual(record);
    expect(config.environments.find((e) => e.name === "preprod")!.promotionRecord).toBeUndefined();
  });

  it("is refused once older than maxRecordAgeDays, saying how to renew it", () => {
    const record = fixtureRecord();
    expect(problems(withRecord(record), new Date(PROMOTED_AT.getTime() + 35 * DAY_MS))).toEqual([]);
    expect(problems(withRecord(record), new Date(PROMOTED_AT.getTime() + 36.5 * DAY_MS))).toEqual([
      "environments/promotions/prod.json: written 2026-11-21, 36 days ago; prod.promotion.maxRecordAgeDays is 35: collect fresh evidence of preprod and run npm run promote -- --from preprod --to prod",
    ]);
  });

  it("names each promoted patch that breaks a rule configured now, and the rule", () => {
    const record = fixtureRecord();
    const stricter = withRecord(record, (d) => Object.assign(d.environments.prod.promotion, { minInstances: 9, soakDays: 8 }));
    const lines = problems(stricter);
    expect(lines).toContain(
      "environments/promotions/prod.json: kernel-5.10.245-241.976.amzn2.x86_64 (AMAZON_LINUX_2) is promoted but installed on 8 instances only; minInstances is 9 (prod.promotion.minInstances); run npm run promote -- --from preprod --to prod",
    );
    expect(lines).toContain(
      "environments/promotions/prod.json: sudo-1.9.15-1.p5.amzn2023.0.4.x86_64 (AMAZON_LINUX_2023) is promoted but first installed 2026-11-13, 7 days before the evidence; soakDays is 8 (prod.promotion.soakDays); run npm run promote -- --from preprod --to prod",
    );
  });

  it("refuses a promoted patch that failed more often than allowed", () => {
    const record = fixtureRecord();
    const kb = record.promoted.WINDOWS!.find((p) => p.id === "KB5070884")!;
    Object.assign(kb, { failed: 1, installed: 7 });
    expect(problems(withRecord(record))).toEqual([
      "environments/promotions/prod.json: KB5070884 (WINDOWS) is promoted but failed on 1 of 8 instances (12.5 %); maxFailureRate allows 5 % (prod.promotion.maxFailureRate); run npm run promote -- --from preprod --to prod",
    ]);
  });

  it("refuses a record of another source or target, or for an environment without a promotion", () => {
    const record = fixtureRecord();
    expect(problems(withRecord({ ...record, from: "dev" }))).toEqual([
      'environments/promotions/prod.json: promotes from "dev", but prod.promotion.from is "preprod"; run npm run promote -- --from preprod --to prod',
    ]);
    expect(problems({ ...exampleOrganization, promotions: { preprod: record } })).toEqual([
      "environments/promotions/preprod.json: preprod has no promotion configured (preprod.promotion); delete the record or configure the promotion",
    ]);
    expect(problems({ ...exampleOrganization, promotions: { qa: record } })).toEqual([
      'environments/promotions/qa.json: "qa" is not a configured environment; delete the record or rename it to its environment',
    ]);
  });

  it("refuses what is not a record", () => {
    expect(problems(withRecord({ version: 1, from: "preprod" }))[0]).toMatch(
      /^environments\/promotions\/prod\.json: not a promotion record: .*write it with npm run promote$/,
    );
  });

  it("refuses more rejected patches than a baseline takes", () => {
    const record = fixtureRecord();
    const held = record.heldBack.WINDOWS![0]!;
    record.heldBack.WINDOWS = Array.from({ length: 50 }, (_, i) => ({ ...held, id: `KB50${String(i).padStart(5, "0")}` }));
    expect(problems(withRecord(record))).toEqual([
      "environments/promotions/prod.json: WINDOWS: 51 rejected patches (the baseline's 1 and 50 held back), more than Patch Manager's 50 per baseline; use prod.promotion.mode \"install-override-list\" or fix the failures in preprod first",
    ]);
  });

  it("in mode install-override-list rejects nothing, so the baseline's limit does not apply, but an empty list is refused", () => {
    const record = fixtureRecord();
    const held = record.heldBack.WINDOWS![0]!;
    record.heldBack.WINDOWS = Array.from({ length: 60 }, (_, i) => ({ ...held, id: `KB50${String(i).padStart(5, "0")}` }));
    const exact = (r: unknown) => withRecord(r, (d) => promoteExactly(d));
    expect(problems(exact(record))).toEqual([]);
    expect(problems(exact({ ...record, promoted: {} }))).toEqual([
      'environments/promotions/prod.json: promotes no patch; with prod.promotion.mode "install-override-list" the install task would get an empty list: wait for evidence with promoted patches, or delete the record',
    ]);
  });

  it("is checked only once the rest of the configuration is valid", () => {
    expect(problems(withRecord({ not: "a record" }, (d) => (d.environments.prod.accounts[0].id = "1")))).toEqual([
      'prod.accounts[0].id: "1" is not a 12-digit AWS account id',
    ]);
  });
});
