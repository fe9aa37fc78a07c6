import { describe, expect, it } from "vitest";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { environmentNamed, exampleConfig, exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { PatchBaselines, type PatchBaselinesProps } from "./patch-baselines.js";

function synth(overrides: Partial<PatchBaselinesProps> = {}) {
  const prod = environmentNamed("prod");
  return synthConstruct((stack, provider) => {
    new PatchBaselines(stack, "Baselines", {
      environment: "prod",
      definitions: exampleConfig.org.baselines,
      approval: () => ({ rule: { approveAfterDays: prod.approveAfterDays! } }),
      approvedPatches: prod.approvedPatches,
      rejectedPatches: prod.rejectedPatches,
      patchGroups: prod.patchGroups,
      registerAsDefault: true,
      naming: exampleNaming,
      provider,
      ...overrides,
    });
  });
}

describe("PatchBaselines", () => {
  it("creates one baseline per OS the patch groups run, named per environment", () => {
    const names = bodiesOf(synth(), "aws_ssm_patch_baseline").map((b) => [b.name, b.operating_system]);
    expect(names.sort()).toEqual([
      ["patchline-prod-amazon-linux-2", "AMAZON_LINUX_2"],
      ["patchline-prod-amazon-linux-2023", "AMAZON_LINUX_2023"],
      ["patchline-prod-redhat-enterprise-linux", "REDHAT_ENTERPRISE_LINUX"],
      ["patchline-prod-ubuntu", "UBUNTU"],
      ["patchline-prod-windows", "WINDOWS"],
    ]);
  });

  it("applies the environment's approve-after-days to every approval rule", () => {
    const rules = bodiesOf(synth({ approval: () => ({ rule: { approveAfterDays: 14 } }) }), "aws_ssm_patch_baseline").flatMap(
      (b) => b.approval_rule as { approve_after_days: number }[],
    );
    expect(rules.length).toBeGreaterThan(5);
    expect(new Set(rules.map((r) => r.approve_after_days))).toEqual(new Set([14]));
  });

  it("approves by an approve-until date instead, saying so in the description", () => {
    const baselines = bodiesOf(synth({ approval: () => ({ rule: { approveUntilDate: "2026-11-05" } }) }), "aws_ssm_patch_baseline");
    const rules = baselines.flatMap((b) => b.approval_rule as Record<string, unknown>[]);
    expect(rules.every((r) => r.approve_until_date === "2026-11-05" && !("approve_after_days" in r))).toBe(true);
    expect(baselines.every((b) => String(b.description).endsWith("(prod: approved when released on or before 2026-11-05)"))).toBe(true);
  });

  it("renders classification, severity and product filters with the compliance level", () => {
    const al2023 = bodiesOf(synth(), "aws_ssm_patch_baseline").find((b) => b.operating_system === "AMAZON_LINUX_2023")!;
    expect(al2023.approval_rule).toEqual([
      {
        approve_after_days: 14,
        compliance_level: "CRITICAL",
        enable_non_security: false,
        patch_filter: [
          { key: "CLASSIFICATION", values: ["Security"] },
          { key: "SEVERITY", values: ["Critical", "Important"] },
        ],
      },
      { approve_after_days: 14, compliance_level: "MEDIUM", enable_non_security: false, patch_filter: [{ key: "CLASSIFICATION", values: ["Bugfix"] }] },
    ]);
  });

  it("leaves the Linux-only non-security flag off Windows baselines", () => {
    const windows = bodiesOf(synth(), "aws_ssm_patch_baseline").find((b) => b.operating_system === "WINDOWS")!;
    expect((windows.approval_rule as Record<string, unknown>[])[0]).not.toHaveProperty("enable_non_security");
  });

  it("adds the environment's rejected patches with the BLOCK action", () => {
    const windows = bodiesOf(synth(), "aws_ssm_patch_baseline").find((b) => b.operating_system === "WINDOWS")!;
    expect(windows).toMatchObject({ rejected_patches: ["KB5034439"], rejected_patches_action: "BLOCK" });
  });

  it("registers every patch group with the baseline of each OS it lists", () => {
    const registrations = bodiesOf(synth(), "aws_ssm_patch_group").map(
      (g) => `${g.patch_group} ${String(g.baseline_id).replace(/^\$\{aws_ssm_patch_baseline\.Baselines_([A-Z0-9_]+?)_[0-9A-F]{8}\.id\}$/, "$1")}`,
    );
    expect(registrations.sort()).toEqual([
      "app-prod AMAZON_LINUX_2",
      "app-prod REDHAT_ENTERPRISE_LINUX",
      "data-prod REDHAT_ENTERPRISE_LINUX",
      "data-prod UBUNTU",
      "web-prod AMAZON_LINUX_2023",
      "web-prod WINDOWS",
    ]);
  });

  it("registers default baselines only when asked", () => {
    expect(bodiesOf(synth({ registerAsDefault: true }), "aws_ssm_default_patch_baseline")).toHaveLength(5);
    expect(bodiesOf(synth({ registerAsDefault: false }), "aws_ssm_default_patch_baseline")).toHaveLength(0);
  });
});
