import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { PromotionRecord } from "../../contracts/promotion-record.js";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { memberStackEntries } from "../../stacks/app/stack-list.js";
import { MemberAccountStack } from "../../stacks/member-account-stack.js";
import { MemberRegionStack } from "../../stacks/member-region-stack.js";
import { Naming } from "../../stacks/naming.js";
import { exampleWith } from "../../test/support/config.js";
import { daysToYesterday, recentRecord, shiftedDate } from "../../test/support/promotion.js";
import { resourcesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { planReviewCommand } from "../plan-review.js";
import { describePromotion } from "../promote/describe.js";
import { parseBusinessHours } from "./business-hours.js";
import type { ReviewContext } from "./findings.js";
import { renderMarkdown } from "./markdown.js";
import type { ResourceChange, StackPlan } from "./plan-json.js";
import { reviewPlans, type Review } from "./review.js";

/**
 * prod's baselines rendered from a promotion record, and from none: the record is the one
 * `npm run promote` makes of the fixture's preprod evidence, and the plans of prod's stacks carry
 * the patch baselines of two in-memory synths, before and after, as terraform would show them.
 */
const _EVIDENCE = "test/fixtures/evidence/preprod.json";

// made today: synth refuses a record older than prod.promotion.maxRecordAgeDays
const record = recentRecord();
const cutoff = record.cutoffDate;
const withRecord = (promoted: PromotionRecord = record): OrgConfigInput => ({ ...exampleWith(() => undefined), promotions: { prod: promoted } });
const withoutRecord = exampleWith(() => undefined);

/** Each patch baseline of the environment's member stacks, by stack and address. */
function baselinesOf(input: OrgConfigInput, environment: string): Map<string, Map<string, Record<string, unknown>>> {
  const config = parseOrgConfig(input);
  const naming = new Naming(config.org);
  const stacks = new Map<string, Map<string, Record<string, unknown>>>();
  for (const entry of memberStackEntries(config).filter((e) => e.environment.name === environment)) {
    const props = { org: config.org, environment: entry.environment, account: entry.account, naming, mode: { offline: true } };
    const app = Testing.app();
    const stack =
      entry.region === undefined ? new MemberAccountStack(app, entry.name, props) : new MemberRegionStack(app, entry.name, { ...props, region: entry.region });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    stacks.set(entry.name, new Map(resourcesOf(json, "aws_ssm_patch_baseline").map(([name, body]) => [`aws_ssm_patch_baseline.${name}`, body])));
  }
  return stacks;
}

/** The plans of the environment's stacks: an update of each baseline that differs. `refreshed` turns before-values into a refreshed state's. */
function baselinePlans(before: OrgConfigInput, after: OrgConfigInput, environment: string, refreshed = (v: Record<string, unknown>) => v): StackPlan[] {
  const [was, is] = [baselinesOf(before, environment), baselinesOf(after, environment)];
  return [...is].map(([stack, baselines]) => ({
    stack,
    environment,
    changes: [...baselines].flatMap(([address, body]): ResourceChange[] => {
      const previous = refreshed(was.get(stack)!.get(address)!);
      if (JSON.stringify(previous) === JSON.stringify(body)) return [];
      return [
        {
          address,
          mode: "managed",
          type: "aws_ssm_patch_baseline",
          name: address.split(".")[1]!,
          change: { actions: ["update"], before: previous, after: body },
        },
      ];
    }),
  }));
}

const context = (
  promotionRecords: ReviewContext["promotionRecords"],
  configuredApproveAfterDays: ReviewContext["configuredApproveAfterDays"],
): ReviewContext => ({
  promotionOrder: ["dev", "preprod", "prod"],
  configuredApproveAfterDays,
  promotionRecords,
  now: new Date("2026-11-24T00:00:00Z"),
  businessHours: parseBusinessHours("Mon-Fri 08:00-18:00"),
});
const lines = (findings: Review["risks"]) => findings.map((f) => `${f.stack}: ${f.subject}: ${f.message}`);
const prodBaselines = (plans: readonly StackPlan[]) => plans.flatMap((p) => p.changes.map((c) => c.address)).length;
// Patch Manager approves Ubuntu without a date: its baselines keep their days and hold nothing back here
const systems = "patchline-prod-amazon-linux-2, patchline-prod-amazon-linux-2023, patchline-prod-redhat-enterprise-linux, patchline-prod-windows";
const configuredDays = { dev: 0, preprod: 7, prod: 14 };

describe("plan review of a promotion record", () => {
  const plans = baselinePlans(withoutRecord, withRecord(), "prod");
  const review = reviewPlans(plans, context({ prod: record }, configuredDays));

  it("says the promotion once for the environment, in plain words, naming every baseline it changes", () => {
    expect(record.cutoffDate).toBe(shiftedDate("2026-11-12", Math.max(0, daysToYesterday(new Date()))));
    const [promotion, ...others] = review.crossStack;
    expect(others).toEqual([]);
    expect(promotion).toMatchObject({
      stack: "(all)",
      environment: "prod",
      severity: "change",
      subject: "promotion of prod",
      message: describePromotion(record),
    });
    // 3 accounts, 2 regions, 4 operating systems approved by date
    expect(promotion!.addresses).toHaveLength(24);
    expect(prodBaselines(plans)).toBe(24);
    expect(promotion!.message).toMatch(
      /^prod approves 17 patches that passed preprod on 40 instances \(0 % failed\) over 7 days, released on or before \d{4}-\d{2}-\d{2} \(evidence preprod\/20261120T080000Z-5e0c9d1a of \d{4}-\d{2}-\d{2}\); 5 held back: .*KB5034439 \(WINDOWS\) failed on 2 of 8 instances \(25 %\); KB5070652 \(WINDOWS\) installed on 1 instance only$/,
    );
  });

  it("does not read the approve-until date as 0 days: no lowered soak time, no stagger broken", () => {
    expect(review.risks).toEqual([]);
    const explained = review.stacks.flatMap((s) => s.findings).filter((f) => f.stack === "prod-web-prod");
    expect(lines(explained)).toEqual([
      `prod-web-prod: approval by release date: 14 days after release → released on or before ${cutoff} in ${systems}`,
      "prod-web-prod: baseline patchline-prod-amazon-linux-2023: rejected patches added: glibc-2.34-117.amzn2023.0.2.x86_64, glibc-common-2.34-117.amzn2023.0.2.x86_64",
      "prod-web-prod: baseline patchline-prod-redhat-enterprise-linux: rejected patches added: libxml2-2.9.13-9.el9_6.2.x86_64",
      "prod-web-prod: baseline patchline-prod-windows: rejected patches added: KB5070652",
    ]);
  });

  it("renders the promotion across environments in the Markdown, before the stacks", () => {
    const markdown = renderMarkdown(review);
    expect(markdown).toContain(
      `No risky changes.\n\n### Across environments\n\n- **promotion of prod**: ${describePromotion(record)} (24 resources)\n\n### Changes per stack\n`,
    );
    expect(markdown).toContain(
      `#### prod: 3 stacks with changes\n\n- **approval by release date**: 14 days after release → released on or before ${cutoff} in ${systems} — all 3 prod stacks\n`,
    );
  });

  it("reads a refreshed state that keeps 0 days beside the date, and a renewed record's later cut-off", () => {
    const renewed = { ...record, cutoffDate: "2026-12-10" };
    // the provider's state may hold the unused field of a rule as its zero value
    const zeroDays = (values: Record<string, unknown>) => ({
      ...values,
      approval_rule: (values.approval_rule as Array<Record<string, unknown>>).map((rule) => ({ approve_after_days: 0, ...rule })),
    });
    const renewal = reviewPlans(baselinePlans(withRecord(), withRecord(renewed), "prod", zeroDays), context({ prod: renewed }, configuredDays));
    expect(renewal.risks).toEqual([]);
    expect(lines(renewal.crossStack)).toEqual([`(all): promotion of prod: ${describePromotion(renewed)}`]);
    expect(lines(renewal.stacks[0]!.findings)).toEqual([
      `prod-data-prod: approval by release date: released on or before ${cutoff} → released on or before 2026-12-10 in ${systems}`,
    ]);
  });

  it("gets the records from the configuration on the command line", () => {
    const dir = mkdtempSync(join(tmpdir(), "patchline-review-"));
    try {
      for (const plan of plans) writeFileSync(join(dir, `${plan.stack}.json`), JSON.stringify({ format_version: "1.2", resource_changes: plan.changes }));
      const io = { print: () => undefined, error: (t: string) => expect.fail(t), now: () => new Date("2026-11-24T00:00:00Z") };
      expect(planReviewCommand([dir, "--json", join(dir, "review.json")], io, withRecord())).toBe(0);
      const json = JSON.parse(readFileSync(join(dir, "review.json"), "utf8")) as Review;
      expect(json.risks).toEqual([]);
      expect(lines(json.crossStack)).toEqual([`(all): promotion of prod: ${describePromotion(record)}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves environments without a record and with unchanged baselines out", () => {
    const devOnly = reviewPlans(baselinePlans(withoutRecord, withRecord(), "dev"), context({ prod: record }, configuredDays));
    expect(devOnly.crossStack).toEqual([]);
    expect(devOnly.stacks).toEqual([]);
  });

  it("staggers another environment's days against prod's only where prod still approves by days", () => {
    const later = withRecord();
    (later.environments.dev as { approveAfterDays: number }).approveAfterDays = 3;
    const devDays = reviewPlans(baselinePlans(withRecord(), later, "dev"), context({ prod: record }, { ...configuredDays, dev: 3 }));
    expect(devDays.risks).toEqual([]);
    expect(lines(devDays.crossStack)).toEqual([
      "(all): staggering: approve-after-days still staggered along the promotion order for AMAZON_LINUX_2, AMAZON_LINUX_2023, REDHAT_ENTERPRISE_LINUX, WINDOWS: dev 3 → preprod 7",
      "(all): staggering: approve-after-days still staggered along the promotion order for UBUNTU: dev 3 → preprod 7 → prod 14",
    ]);
  });
});

describe("plan review of a promotion in mode install-override-list", () => {
  it("says the promotion when only the central stack's list changes", () => {
    const list = "aws_s3_object.Promotions_prod_0A1B2C3D";
    const central: StackPlan = {
      stack: "central",
      environment: "central",
      changes: [
        {
          address: list,
          mode: "managed",
          type: "aws_s3_object",
          name: "Promotions_prod_0A1B2C3D",
          change: {
            actions: ["update"],
            before: { key: "prod/install-override-list.yaml", content: "patches: []" },
            after: { key: "prod/install-override-list.yaml", content: "patches: …" },
          },
        },
        {
          address: "aws_s3_object.Compliance_Storage_FleetCatalog_1A2B3C4D",
          mode: "managed",
          type: "aws_s3_object",
          name: "Compliance_Storage_FleetCatalog_1A2B3C4D",
          change: { actions: ["update"], before: { key: "catalog/fleet.json" }, after: { key: "catalog/fleet.json" } },
        },
      ],
    };
    const review = reviewPlans([central], context({ prod: record }, configuredDays));
    expect(review.crossStack.filter((f) => f.subject === "promotion of prod")).toEqual([
      expect.objectContaining({ environment: "prod", severity: "change", message: describePromotion(record), addresses: [list] }),
    ]);
    // without a record of that environment the object is not a promotion
    expect(reviewPlans([central], context({}, configuredDays)).crossStack.filter((f) => f.subject.startsWith("promotion"))).toEqual([]);
  });
});

describe("plan review of a promotion record that is removed", () => {
  const plans = baselinePlans(withRecord(), withoutRecord, "prod");
  const review = reviewPlans(plans, context({}, { dev: 0, preprod: 7, prod: 14 }));

  it("flags that production goes back to approving by age, once, and checks the stagger of its days", () => {
    expect(lines(review.risks)).toEqual([
      `(all): promotion of prod: prod no longer approves only what passed preprod: without a promotion record (environments/promotions/prod.json) its baselines approve patches 14 days after release again (were: released on or before ${cutoff}); production gets patches by their age, not by evidence from preprod`,
    ]);
    expect(review.risks[0]!.addresses).toHaveLength(24);
    expect(lines(review.crossStack.filter((f) => f.severity === "change"))).toEqual([
      "(all): staggering: approve-after-days still staggered along the promotion order for AMAZON_LINUX_2, AMAZON_LINUX_2023, REDHAT_ENTERPRISE_LINUX, WINDOWS: dev 0 → preprod 7 → prod 14",
    ]);
  });

  it("is a change, not a risk, in an environment before production", () => {
    const staged = ["dev", "prod", "preprod"];
    const earlier = reviewPlans(plans, { ...context({}, { dev: 0, preprod: 7, prod: 14 }), promotionOrder: staged });
    expect(earlier.risks.filter((f) => f.subject === "promotion of prod")).toEqual([]);
    expect(earlier.crossStack.find((f) => f.subject === "promotion of prod")?.message).toMatch(
      /^prod no longer approves only what passed preprod: .*\(were: released on or before \d{4}-\d{2}-\d{2}\)$/,
    );
  });

  it("says in Markdown what each stack's baselines approve now", () => {
    expect(renderMarkdown(review)).toContain(
      `- **approval by release date**: released on or before ${cutoff} → 14 days after release in ${systems} — all 3 prod stacks\n`,
    );
  });
});
