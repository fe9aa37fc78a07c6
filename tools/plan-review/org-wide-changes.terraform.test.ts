import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleWith } from "../../test/support/config.js";
import { planChange } from "../../test/support/plans.js";
import { terraformVersion } from "../../test/support/terraform.js";
import { parseBusinessHours } from "./business-hours.js";
import { renderMarkdown } from "./markdown.js";
import { readPlans } from "./plan-json.js";
import { reviewPlans, type Review } from "./review.js";

/**
 * A second real offline plan: baseline rules changed org-wide, and preprod's soak time, approved
 * patches, window zone, cutoff, rate control and enabled flag changed, seen in one preprod stack.
 */
const before = exampleWith(() => undefined);
const after = exampleWith((d) => {
  d.org.baselines.AMAZON_LINUX_2023.approvalRules[0].filters.SEVERITY.push("Medium");
  d.org.baselines.UBUNTU.approvalRules.push({ filters: { PRODUCT: ["Ubuntu22.04", "Ubuntu24.04"], PRIORITY: ["Standard"] }, complianceLevel: "LOW" });
  d.environments.preprod.approveAfterDays = 10;
  d.environments.preprod.approvedPatches = { AMAZON_LINUX_2023: ["openssl-3.0.8-1.amzn2023.0.14"] };
  Object.assign(d.environments.preprod.maintenanceWindows[0], { timeZone: "Europe/Berlin", cutoffHours: 2, enabled: false });
  d.environments.preprod.maintenanceWindows[0].install.maxErrors = "5%";
});

let planDir: string;
let review: Review;

beforeAll(async () => {
  terraformVersion();
  ({ planDir } = await planChange({ before, after, stacks: ["preprod-payments-preprod"] }));
  review = reviewPlans(readPlans([planDir]), {
    promotionOrder: ["dev", "preprod", "prod"],
    configuredApproveAfterDays: { dev: 0, preprod: 10, prod: 14 },
    promotionRecords: {},
    now: new Date("2026-11-24T00:00:00Z"),
    businessHours: parseBusinessHours("Mon-Fri 08:00-18:00"),
  });
}, 600_000);

afterAll(() => rmSync(join(planDir, ".."), { recursive: true, force: true }));

describe("plan review of org-wide baseline changes and an environment's window", () => {
  it("explains approval rules, approved patches, soak time, rate control and the window in plain words", () => {
    const markdown = renderMarkdown(review);
    expect(markdown).toContain(
      [
        "#### preprod-payments-preprod",
        "",
        "- **approve-after-days**: 7 → 10 in patchline-preprod-amazon-linux-2, patchline-preprod-amazon-linux-2023, patchline-preprod-redhat-enterprise-linux, patchline-preprod-ubuntu, patchline-preprod-windows (5 resources)",
        "- **baseline patchline-preprod-amazon-linux-2023**: approval rule 1 filters CLASSIFICATION Security, SEVERITY Critical/Important → CLASSIFICATION Security, SEVERITY Critical/Important/Medium",
        "- **baseline patchline-preprod-amazon-linux-2023**: approved patches added: openssl-3.0.8-1.amzn2023.0.14",
        "- **baseline patchline-preprod-ubuntu**: approval rule 2 added: PRODUCT Ubuntu22.04/Ubuntu24.04, PRIORITY Standard, approve after 10 days, compliance LOW",
        "- **install task of window preprod-weekly**: error threshold 10% → 5%",
        "- **window preprod-weekly**: time zone US/Central → Europe/Berlin, cutoff (h) 1 → 2, enabled true → false; next runs before: Thu 2026-11-26 21:00 US/Central (Fri 2026-11-27 03:00 UTC); Thu 2026-12-03 21:00 US/Central (Fri 2026-12-04 03:00 UTC); Thu 2026-12-10 21:00 US/Central (Fri 2026-12-11 03:00 UTC); after: none (disabled)",
        "",
      ].join("\n"),
    );
  });

  it("flags the disabled window, and says that raising preprod's days keeps the stagger", () => {
    expect(review.risks.map((f) => `${f.stack}: ${f.subject}: ${f.message}`)).toEqual([
      "preprod-payments-preprod: window preprod-weekly: disabled: it no longer runs, so its patch groups are neither scanned nor patched",
    ]);
    expect(review.crossStack.map((f) => f.message)).toEqual([
      "approve-after-days still staggered along the promotion order for AMAZON_LINUX_2, AMAZON_LINUX_2023, REDHAT_ENTERPRISE_LINUX, UBUNTU, WINDOWS: dev 0 → preprod 10 → prod 14",
    ]);
  });

  it("writes the same findings as JSON for machines", () => {
    const json = JSON.parse(JSON.stringify(review)) as Review;
    // the install runbook among them: its patch step's time follows the window's cutoff
    expect(json.stacks).toEqual([
      expect.objectContaining({ stack: "preprod-payments-preprod", environment: "preprod", counts: { create: 0, update: 8, replace: 0, destroy: 0 } }),
    ]);
    expect(json.stacks[0]!.findings).toContainEqual({
      stack: "preprod-payments-preprod",
      environment: "preprod",
      severity: "change",
      subject: "install task of window preprod-weekly",
      message: "error threshold 10% → 5%",
      addresses: ["aws_ssm_maintenance_window_task.us-east-1_MaintenanceWindows_preprod-weekly_InstallTask_75C5E337"],
    });
  });
});
