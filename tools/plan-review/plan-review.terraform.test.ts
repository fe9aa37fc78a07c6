import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleWith } from "../../test/support/config.js";
import { planChange } from "../../test/support/plans.js";
import { terraformVersion } from "../../test/support/terraform.js";
import { planReviewCommand } from "../plan-review.js";
import { parseBusinessHours } from "./business-hours.js";
import { renderMarkdown } from "./markdown.js";
import { readPlans } from "./plan-json.js";
import { reviewPlans, type Review } from "./review.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";

/**
 * Real offline plans of the example organization, before and after a set of changes: each stack is
 * "deployed" from the before-config (a state built from its own plans), then the after-config is
 * planned against it, as `terraform plan` in a pull request would.
 */
const before = exampleWith((d) => {
  // dev: dev-weekly only scans; the data group has its own installing window; Ubuntu in data-dev
  delete d.environments.dev.maintenanceWindows[0].install;
  d.environments.dev.maintenanceWindows.push({
    ...structuredClone(d.environments.dev.maintenanceWindows[0]),
    name: "dev-data",
    install: { maxConcurrency: "50%", maxErrors: "25%" },
  });
  d.environments.dev.patchGroups[2].maintenanceWindow = "dev-data";
});
const after = exampleWith((d) => {
  // dev: dev-weekly installs now and patches the data group; dev-data and the Ubuntu baseline go
  d.environments.dev.patchGroups[2].operatingSystems = ["REDHAT_ENTERPRISE_LINUX"];
  // prod: soak time cut, window at 10:00 on a Wednesday, other rejected KB, no reboots, more at once
  d.environments.prod.approveAfterDays = 7;
  d.environments.prod.rejectedPatches = { WINDOWS: ["KB5040442"] };
  Object.assign(d.environments.prod.maintenanceWindows[0], { schedule: "cron(0 10 ? * WED#1 *)", durationHours: 3 });
  Object.assign(d.environments.prod.maintenanceWindows[0].install, { rebootOption: "NoReboot", maxConcurrency: "25%" });
  // approved instances are patched as their window patches: the approval's reboot option follows the window's
  d.environments.prod.approval.rebootOption = "NoReboot";
});
const stacks = ["dev-web-dev", "preprod-web-preprod", "prod-web-prod"];
const context = {
  promotionOrder: ["dev", "preprod", "prod"],
  configuredApproveAfterDays: { dev: 0, preprod: 7, prod: 14 },
  promotionRecords: {},
  now: new Date("2026-11-24T00:00:00Z"),
  businessHours: parseBusinessHours("Mon-Fri 08:00-18:00"),
};

let planDir: string;
let review: Review;

beforeAll(async () => {
  terraformVersion();
  ({ planDir } = await planChange({ before, after, stacks }));
  review = reviewPlans(readPlans([planDir]), context);
}, 600_000);

afterAll(() => rmSync(join(planDir, ".."), { recursive: true, force: true }));

const lines = (findings: Review["risks"]) => findings.map((f) => `${f.stack}: ${f.subject}: ${f.message}`);

describe("plan review of real offline plans", () => {
  it("flags the risky changes at the top, in promotion order", () => {
    expect(lines(review.risks)).toEqual([
      "dev-web-dev: baseline patchline-dev-ubuntu: destroyed",
      "dev-web-dev: window dev-data: destroyed",
      "dev-web-dev: window dev-weekly: install switched on: the window only scanned before, now it installs patches (reboot option RebootIfNeeded)",
      "prod-web-prod: approve-after-days: 14 → 7 (lowered in prod: patches reach production sooner after release) in patchline-prod-amazon-linux-2, patchline-prod-amazon-linux-2023, patchline-prod-redhat-enterprise-linux, patchline-prod-ubuntu, patchline-prod-windows",
      "prod-web-prod: window prod-monthly: moves into business hours (Mon-Fri 08:00-18:00 US/Central): Wed 2026-12-02 10:00 US/Central; Wed 2027-01-06 10:00 US/Central; Wed 2027-02-03 10:00 US/Central",
      "(all): staggering: approve-after-days no longer staggered along the promotion order for AMAZON_LINUX_2, AMAZON_LINUX_2023, REDHAT_ENTERPRISE_LINUX, UBUNTU, WINDOWS: dev 0 → preprod 7 → prod 7; prod approves after 7 days, not later than preprod (7): prod gets patches without soak time in preprod",
    ]);
  });

  it("counts creates, updates, replacements and destroys per stack, and leaves unchanged stacks out", () => {
    // dev: install task, target and runbook of dev-weekly created (the example's freezes give every
    // installing window an install runbook); its scan target updated in place (data-dev joins), the
    // coverage rule that lists the environment's windows (dev-data leaves), and the emergency patch
    // role, scoped to the install targets' patch groups (web-dev and app-dev join); dev-data's
    // window, 2 targets, 2 tasks, its runbook and the Ubuntu baseline, its patch-group and default
    // registrations destroyed. prod: 5 baselines and the window with its install task and runbook
    // (the reboot option it allows), per region.
    expect(review.stacks.map((s) => [s.stack, s.counts])).toEqual([
      ["dev-web-dev", { create: 3, update: 3, replace: 0, destroy: 9 }],
      ["prod-web-prod", { create: 0, update: 16, replace: 0, destroy: 0 }],
    ]);
    expect(review.unchangedStacks).toEqual(["preprod-web-preprod"]);
  });

  it("explains the changes that matter to patching in plain words", () => {
    const explained = (stack: string) => lines(review.stacks.find((s) => s.stack === stack)!.findings.filter((f) => f.severity === "change"));
    expect(explained("prod-web-prod")).toEqual([
      "prod-web-prod: baseline patchline-prod-windows: rejected patches added: KB5040442",
      "prod-web-prod: baseline patchline-prod-windows: rejected patches removed: KB5034439",
      "prod-web-prod: install task of window prod-monthly: concurrency 10% → 25%",
      "prod-web-prod: install task of window prod-monthly: reboot option RebootIfNeeded → NoReboot",
      "prod-web-prod: window prod-monthly: schedule cron(0 21 ? * WED#1 *) → cron(0 10 ? * WED#1 *), duration (h) 2 → 3; next runs before: Wed 2026-12-02 21:00 US/Central; Wed 2027-01-06 21:00 US/Central; Wed 2027-02-03 21:00 US/Central; after: Wed 2026-12-02 10:00 US/Central; Wed 2027-01-06 10:00 US/Central; Wed 2027-02-03 10:00 US/Central",
    ]);
    expect(explained("dev-web-dev")).toEqual([
      "dev-web-dev: default baseline for UBUNTU: destroyed: instances without a Patch Group tag fall back to AWS's predefined baseline",
      "dev-web-dev: install runbook of window dev-data: destroyed",
      "dev-web-dev: install targets of window dev-data: destroyed",
      "dev-web-dev: install task of window dev-data: destroyed",
      "dev-web-dev: patch group data-dev (UBUNTU): destroyed: its instances get the default baseline of their operating system",
      "dev-web-dev: scan targets of window dev-data: destroyed",
      "dev-web-dev: scan targets of window dev-weekly: targets tag:Patch Group = web-dev, app-dev → tag:Patch Group = web-dev, app-dev, data-dev",
      "dev-web-dev: scan task of window dev-data: destroyed",
    ]);
  });

  it("merges a finding that holds in every region of a stack into one, naming its resources", () => {
    const window = review.risks.find((f) => f.subject === "window prod-monthly")!;
    expect(window.addresses).toEqual([
      "aws_ssm_maintenance_window.eu-west-1_MaintenanceWindows_prod-monthly_Window_837B2853",
      "aws_ssm_maintenance_window.us-east-1_MaintenanceWindows_prod-monthly_Window_E8A2F81A",
    ]);
  });

  it("renders Markdown with the risks first and a marker for the pull-request comment", () => {
    const markdown = renderMarkdown(review);
    expect(
      markdown.startsWith(
        "<!-- patchline-plan-review -->\n## patchline plan review\n\n### ⚠️ Risky changes (6)\n\n- dev-web-dev: **baseline patchline-dev-ubuntu**: destroyed\n",
      ),
    ).toBe(true);
    expect(markdown).toContain("| dev | dev-web-dev | 3 | 3 | 0 | 9 |\n| prod | prod-web-prod | 0 | 16 | 0 | 0 |\n");
    expect(markdown).toContain("#### prod-web-prod\n\n- **baseline patchline-prod-windows**: rejected patches added: KB5040442 (2 resources)\n");
    expect(markdown).toContain("1 stack without changes.");
    expect(markdown.indexOf("Risky changes")).toBeLessThan(markdown.indexOf("Changes per stack"));
  });

  it("is stable: the same plans give the same review, whatever the order of the files", () => {
    const files = stacks.map((s) => join(planDir, `${s}.json`));
    expect(JSON.stringify(reviewPlans(readPlans([...files].reverse()), context))).toBe(JSON.stringify(review));
  });

  it("writes Markdown and JSON from the command line", () => {
    const out = mkdtempSync(join(tmpdir(), "patchline-review-"));
    try {
      const printed: string[] = [];
      const io = { print: (t: string) => printed.push(t), error: (t: string) => printed.push(t), now: () => new Date("2026-11-24T00:00:00Z") };
      const code = planReviewCommand([planDir, "--markdown", join(out, "review.md"), "--json", join(out, "review.json")], io, exampleOrganization);
      expect(code).toBe(0);
      expect(printed).toEqual([]);
      expect(readFileSync(join(out, "review.md"), "utf8")).toBe(renderMarkdown(review));
      expect(JSON.parse(readFileSync(join(out, "review.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(review)));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("plan review command input", () => {
  const run = (args: string[]) => {
    const errors: string[] = [];
    const code = planReviewCommand(args, { print: () => undefined, error: (t) => errors.push(t), now: () => new Date() }, exampleOrganization);
    return { code, error: errors.join("\n") };
  };

  it("rejects a file that is not a plan", () => {
    const dir = mkdtempSync(join(tmpdir(), "patchline-review-"));
    try {
      writeFileSync(join(dir, "prod-web-prod.json"), JSON.stringify({ resources: [] }));
      expect(run([dir])).toEqual({
        code: 2,
        error: `${join(dir, "prod-web-prod.json")}: not a Terraform plan in JSON; give the output of "terraform show -json <planfile>"`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a missing path", () => {
    expect(run(["/nonexistent/plans"])).toEqual({ code: 2, error: "/nonexistent/plans: no such file or folder" });
  });

  it("rejects a summary that is not plan-stacks' and a length a comment cannot use", () => {
    const dir = mkdtempSync(join(tmpdir(), "patchline-review-"));
    try {
      writeFileSync(join(dir, "summary.json"), JSON.stringify({ planned: ["prod-web-prod"] }));
      expect(run([planDir, "--summary", join(dir, "summary.json")])).toEqual({
        code: 2,
        error: `${join(dir, "summary.json")}: not a plan summary (planned, removed, unchanged, failed); give the --summary file of npm run plan-stacks`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(run([planDir, "--max-length", "80"])).toEqual({ code: 2, error: '--max-length: "80" is not a length: a whole number of characters from 1000' });
  });

  it("explains bad business hours", () => {
    expect(run([planDir, "--business-hours", "Fri-Mon 8-18"]).error).toBe(
      '--business-hours: "Fri-Mon 8-18" is not in the form <days> <HH:MM>-<HH:MM>; expected e.g. "Mon-Fri 08:00-18:00" (days Mon, Tue, Wed, Thu, Fri, Sat, Sun)',
    );
    expect(run([planDir, "--business-hours", "Fri-Mon 08:00-18:00"]).error).toBe(
      '--business-hours: "Fri-Mon 08:00-18:00" has a day range that runs backwards (Fri-Mon); expected e.g. "Mon-Fri 08:00-18:00" (days Mon, Tue, Wed, Thu, Fri, Sat, Sun)',
    );
  });
});
