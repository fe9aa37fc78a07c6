import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { MemberAccountStack } from "../../stacks/member-account-stack.js";
import { Naming } from "../../stacks/naming.js";
import { exampleWith } from "../../test/support/config.js";
import { resourcesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { parseBusinessHours } from "./business-hours.js";
import type { ReviewContext } from "./findings.js";
import type { ResourceChange, StackPlan } from "./plan-json.js";
import { reviewPlans } from "./review.js";

/**
 * An account moved between canary waves: prod's windows of the two configs, synthesized in memory,
 * as the update a plan of the account's stack shows.
 */
function windowsOf(input: OrgConfigInput, account: string): Map<string, Record<string, unknown>> {
  const config = parseOrgConfig(input);
  const prod = config.environments.find((e) => e.name === "prod")!;
  const props = {
    org: config.org,
    environment: prod,
    account: prod.accounts.find((a) => a.name === account)!,
    naming: new Naming(config.org),
    mode: { offline: true },
  };
  const json = JSON.parse(Testing.synth(new MemberAccountStack(Testing.app(), `prod-${account}`, props))) as TerraformJson;
  return new Map(resourcesOf(json, "aws_ssm_maintenance_window").map(([name, body]) => [name, body]));
}

function windowPlan(before: OrgConfigInput, after: OrgConfigInput, account: string): StackPlan {
  const was = windowsOf(before, account);
  return {
    stack: `prod-${account}`,
    environment: "prod",
    changes: [...windowsOf(after, account)].map(
      ([name, body]): ResourceChange => ({
        address: `aws_ssm_maintenance_window.${name}`,
        mode: "managed",
        type: "aws_ssm_maintenance_window",
        name,
        change: { actions: ["update"], before: was.get(name)!, after: body },
      }),
    ),
  };
}

const context: ReviewContext = {
  promotionOrder: ["dev", "preprod", "prod"],
  configuredApproveAfterDays: { dev: 0, preprod: 7, prod: 14 },
  promotionRecords: {},
  now: new Date("2026-11-24T00:00:00Z"),
  businessHours: parseBusinessHours("Mon-Fri 08:00-18:00"),
};

describe("plan review of a canary wave change", () => {
  it("shows an account moved to another wave as its windows' schedule change, naming the waves, once for both regions", () => {
    const before = exampleWith(() => undefined);
    // payments-prod joins web-prod in the canary wave
    const after = exampleWith((d) => (d.environments.prod.accounts[0].wave = "canary"));
    const review = reviewPlans([windowPlan(before, after, "payments-prod")], context);
    const findings = review.stacks.flatMap((s) => s.findings);
    expect(findings.map((f) => `${f.stack}: ${f.subject}: ${f.message}`)).toEqual([
      "prod-payments-prod: window prod-monthly: wave main → canary, schedule offset (days) 2 → (none); next runs before: Fri 2026-12-04 21:00 US/Central; Fri 2027-01-08 21:00 US/Central; Fri 2027-02-05 21:00 US/Central; after: Wed 2026-12-02 21:00 US/Central; Wed 2027-01-06 21:00 US/Central; Wed 2027-02-03 21:00 US/Central",
    ]);
    expect(findings[0]!.addresses).toHaveLength(2);
    expect(review.risks).toEqual([]);
  });

  it("flags a wave delay that moves the windows into business hours", () => {
    const before = exampleWith(() => undefined);
    // 21:00 + 36 h is 09:00 on the Friday
    const after = exampleWith((d) => (d.environments.prod.waves[1].delayHours = 36));
    const review = reviewPlans([windowPlan(before, after, "data-prod")], context);
    expect(review.risks.map((f) => `${f.subject}: ${f.message}`)).toEqual([
      "window prod-monthly: moves into business hours (Mon-Fri 08:00-18:00 US/Central): Fri 2026-12-04 09:00 US/Central; Fri 2027-01-08 09:00 US/Central; Fri 2027-02-05 09:00 US/Central",
    ]);
    expect(review.stacks.flatMap((s) => s.findings).find((f) => f.severity === "change")!.message).toMatch(
      // two days and 12 hours: the offset stays, the hour moves
      /^schedule cron\(0 21 \? \* WED#1 \*\) → cron\(0 9 \? \* WED#1 \*\); next runs before: Fri 2026-12-04 21:00 US\/Central; /,
    );
  });

  it("leaves the accounts whose wave did not change out", () => {
    const after = exampleWith((d) => (d.environments.prod.accounts[0].wave = "canary"));
    expect(
      reviewPlans(
        [
          windowPlan(
            exampleWith(() => undefined),
            after,
            "data-prod",
          ),
        ],
        context,
      ).stacks.flatMap((s) => s.findings),
    ).toEqual([]);
  });
});
