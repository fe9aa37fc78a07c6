import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { promotionRecordSchema } from "../contracts/promotion-record.js";
import { daysToYesterday, EVIDENCE_FIXTURE, promoteExactly, recentRecord, shiftedDate, shiftedEvidenceText } from "./support/promotion.js";
import { cdktfApp, copyRepository, replaceOrganization, REPOSITORY, runInCopy } from "./support/repository-copy.js";
import { readStacks, synthOrg } from "./support/synth.js";
import { exampleWith } from "./support/config.js";
import { bodiesOf, changedAddresses, type TerraformJson } from "./support/terraform-json.js";
import { validateStacks } from "./support/validate-stacks.js";

/**
 * The promotion a user runs: the example organization in a copy's environments/, `npm run promote`
 * from the shipped preprod evidence, then the cdktf app again. Only prod's baselines may change.
 */
const example = join(REPOSITORY, "test", "fixtures", "organizations", "example");
const indexWithPromotions = `import { dev } from "./dev.js";
import { org } from "./org.js";
import { preprod } from "./preprod.js";
import { prod } from "./prod.js";
import { readPromotionRecords, type OrgConfigInput } from "./schema/index.js";

export const organization: OrgConfigInput = { org, environments: { dev, preprod, prod }, promotions: readPromotionRecords(new URL("./promotions/", import.meta.url)) };
`;

const json = (path: string): TerraformJson => JSON.parse(readFileSync(path, "utf8")) as TerraformJson;

describe("npm run promote, then synth", () => {
  it("changes prod's baselines only, to exactly the promoted set; dev, preprod and central stay byte-identical", async () => {
    const copy = copyRepository();
    replaceOrganization(copy, example);
    writeFileSync(join(copy, "environments", "index.ts"), indexWithPromotions);

    const before = cdktfApp(copy, join(copy, "before"));
    expect(before.code, before.output).toBe(0);
    // promote refuses evidence older than prod's maxRecordAgeDays: on a later day than the fixture's,
    // the fixture moved by whole days to yesterday (its cut-off moves with it)
    const shift = Math.max(0, daysToYesterday(new Date()));
    writeFileSync(join(copy, EVIDENCE_FIXTURE), shiftedEvidenceText(shift));
    const cutoff = shiftedDate("2026-11-12", shift);
    const promote = runInCopy(copy, "npm", ["run", "--silent", "promote", "--", "--from", "preprod", "--to", "prod", "--evidence", EVIDENCE_FIXTURE]);
    expect(promote.code, promote.output).toBe(0);
    expect(promote.output).toContain("prod approves 17 patches that passed preprod on 40 instances");
    const record = promotionRecordSchema.parse(JSON.parse(readFileSync(join(copy, "environments", "promotions", "prod.json"), "utf8")));
    const after = cdktfApp(copy, join(copy, "after"));
    expect(after.code, after.output).toBe(0);

    const stacksBefore = readStacks(join(copy, "before"));
    const stacksAfter = readStacks(join(copy, "after"));
    expect([...stacksAfter.keys()].sort()).toEqual([...stacksBefore.keys()].sort());
    const changed: string[] = [];
    for (const [name, stack] of stacksAfter) {
      const file = (dir: string) => readFileSync(join(dir, "cdk.tf.json"), "utf8");
      if (file(stack.dir) === file(stacksBefore.get(name)!.dir)) continue;
      changed.push(name);
      const addresses = changedAddresses(json(join(stacksBefore.get(name)!.dir, "cdk.tf.json")), json(join(stack.dir, "cdk.tf.json")));
      expect(
        addresses.every((a) => a.startsWith("aws_ssm_patch_baseline.")),
        `${name}: ${addresses.join(", ")}`,
      ).toBe(true);
    }
    expect(changed.sort()).toEqual([...stacksAfter.keys()].filter((n) => n.startsWith("prod-")).sort());

    // every prod baseline approves by the record's cut-off and rejects what it holds back (with the configured rejections)
    for (const name of changed) {
      for (const baseline of bodiesOf(json(join(stacksAfter.get(name)!.dir, "cdk.tf.json")), "aws_ssm_patch_baseline")) {
        const os = String(baseline.operating_system);
        const rules = baseline.approval_rule as Array<Record<string, unknown>>;
        // Patch Manager approves Debian and Ubuntu patches without a date: they keep prod's configured days
        const dated = os !== "UBUNTU";
        expect(rules.every((r) => (dated ? r.approve_until_date === cutoff && r.approve_after_days === undefined : r.approve_after_days === 14))).toBe(true);
        const held = (record.heldBack[os] ?? []).map((p) => p.id);
        const configured = os === "WINDOWS" ? ["KB5034439"] : [];
        expect(baseline.rejected_patches).toEqual([...new Set([...configured, ...held])]);
        expect(String(baseline.description)).toContain(
          dated ? `(prod: promoted from preprod: released on or before ${cutoff})` : "(prod: approved 14 days after release)",
        );
      }
    }
    const windows = bodiesOf(json(join(stacksAfter.get(changed[0]!)!.dir, "cdk.tf.json")), "aws_ssm_patch_baseline").find(
      (b) => b.operating_system === "WINDOWS",
    )!;
    expect(windows.rejected_patches).toEqual(["KB5034439", "KB5070652"]);

    // what terraform makes of the new rules: one changed stack validates against the provider
    expect(await validateStacks([stacksAfter.get(changed[0]!)!])).toEqual([]);
  }, 300_000);

  it("in mode install-override-list: the central stack's list and prod's install tasks validate against the provider", async () => {
    const draft = exampleWith((d) => promoteExactly(d));
    const { stacks } = synthOrg({ input: { ...draft, promotions: { prod: recentRecord(draft) } } });
    const central = stacks.get("central")!;
    expect(bodiesOf(central.json, "aws_s3_object").map((o) => o.key)).toContain("prod/install-override-list.yaml");
    const prod = stacks.get("prod-web-prod")!;
    expect(JSON.stringify(bodiesOf(prod.json, "aws_ssm_maintenance_window_task"))).toContain("InstallOverrideList");
    expect(await validateStacks([central, prod])).toEqual([]);
  }, 300_000);
});
