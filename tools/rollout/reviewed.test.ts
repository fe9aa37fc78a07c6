import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFingerprint, type FingerprintedPlan } from "../plan-review/fingerprint.js";
import { readReviewed, verdict, type ReviewedPlans } from "./reviewed.js";

const WINDOW = "aws_ssm_maintenance_window.us-east-1_MaintenanceWindows_prod-monthly_Window_1";
const BASELINE = "aws_ssm_patch_baseline.us-east-1_Baselines_windows_2";

/** A plan: a window update (duration) and a baseline created with an id known only after apply. */
function plan(options: { duration?: number; baselineActions?: string[]; drift?: string[]; extra?: boolean; configured?: number } = {}): FingerprintedPlan {
  return {
    resource_changes: [
      { address: WINDOW, mode: "managed", change: { actions: ["update"], after: { duration: options.duration ?? 4 }, after_unknown: {} } },
      {
        address: BASELINE,
        mode: "managed",
        change: { actions: options.baselineActions ?? ["create"], after: { name: "patchline-prod-windows", id: null }, after_unknown: { id: true } },
      },
      { address: "aws_iam_role.unchanged", mode: "managed", change: { actions: ["no-op"], after: { name: "r" } } },
      { address: "data.aws_region.current", mode: "data", change: { actions: ["read"], after: {} } },
      ...(options.extra ? [{ address: "aws_ssm_patch_baseline.extra", mode: "managed", change: { actions: ["delete"], after: null } }] : []),
    ],
    resource_drift: (options.drift ?? []).map((address) => ({ address })),
    configuration: { root_module: { resources: [{ address: WINDOW, expressions: { duration: { constant_value: options.configured ?? 4 } } }] } },
  };
}

const reviewedAs = (p: FingerprintedPlan, unchangedStacks: string[] = []): ReviewedPlans => ({
  fingerprints: { "prod-a": planFingerprint(p) },
  unchangedStacks,
});

describe("plan fingerprints", () => {
  it("hold the changed resources with their actions; no-ops and data reads are left out", () => {
    expect(Object.keys(planFingerprint(plan()).changes)).toEqual([WINDOW, BASELINE]);
    expect(planFingerprint(plan()).changes[WINDOW]).toMatch(/^update:[0-9a-f]{16}$/);
  });

  it("keep an object a replacement left behind (deposed) apart from the current one at its address", () => {
    const replaced: FingerprintedPlan = {
      resource_changes: [
        { address: WINDOW, mode: "managed", change: { actions: ["create"], after: { duration: 4 } } },
        { address: WINDOW, deposed: "00000001", mode: "managed", change: { actions: ["delete"], after: null } },
      ],
    };
    expect(Object.keys(planFingerprint(replaced).changes)).toEqual([WINDOW, `${WINDOW} (deposed 00000001)`]);
  });

  it("are equal for the same plan, whatever a value known only after apply turns out to be", () => {
    const other = plan();
    (other.resource_changes![1]!.change as { after: Record<string, unknown> }).after.id = "pb-0123";
    expect(planFingerprint(other).fingerprint).toBe(planFingerprint(plan()).fingerprint);
    expect(planFingerprint(plan({ duration: 5 })).fingerprint).not.toBe(planFingerprint(plan()).fingerprint);
  });
});

describe("the deploy's plan against the reviewed one", () => {
  it("passes the reviewed plan", () => {
    expect(verdict("prod-a", reviewedAs(plan()), plan())).toEqual({ kind: "as reviewed" });
  });

  it("names an address the review did not see, and one whose actions changed, with drift the refresh found", () => {
    const result = verdict("prod-a", reviewedAs(plan()), plan({ extra: true, baselineActions: ["delete", "create"], drift: [BASELINE] }));
    expect(result).toEqual({
      kind: "differs",
      addresses: [
        {
          address: "aws_ssm_patch_baseline.extra",
          difference: "not reviewed",
          detail: "delete",
          drifted: false,
          why: expect.stringMatching(/^the state is not the one reviewed/),
        },
        {
          address: BASELINE,
          difference: "actions differ",
          detail: "create → delete+create",
          drifted: true,
          why: "changed outside Terraform since the review (drift)",
        },
      ],
    });
  });

  it("says main moved on when the configuration is not the reviewed one", () => {
    const result = verdict("prod-a", reviewedAs(plan()), plan({ duration: 6, configured: 6 }));
    expect(result).toEqual({
      kind: "differs",
      addresses: [
        {
          address: WINDOW,
          difference: "planned values differ",
          drifted: false,
          why: "the configuration is not the reviewed one (main moved on since the review)",
        },
      ],
    });
  });

  it("expects no changes of a stack the review found unchanged, and knows nothing of a stack it did not see", () => {
    const unchanged: ReviewedPlans = { fingerprints: {}, unchangedStacks: ["prod-b"] };
    expect(verdict("prod-b", unchanged, { resource_changes: [] })).toEqual({ kind: "as reviewed" });
    expect(verdict("prod-b", unchanged, plan())).toMatchObject({
      kind: "differs",
      addresses: [{ address: WINDOW, why: expect.stringMatching(/^the review found this stack unchanged/) }, { address: BASELINE }],
    });
    expect(verdict("prod-c", unchanged, plan())).toEqual({ kind: "not reviewed" });
  });
});

describe("the reviewed file", () => {
  it("says what is wrong with a file that is not a review with fingerprints", () => {
    const dir = mkdtempSync(join(tmpdir(), "patchline-reviewed-"));
    try {
      writeFileSync(join(dir, "old.json"), JSON.stringify({ risks: [], stacks: [], unchangedStacks: [] }));
      expect(() => readReviewed(join(dir, "old.json"))).toThrow(
        `--reviewed: ${join(dir, "old.json")}: not a plan review with fingerprints; give the --json file of npm run plan-review (the plan-review artifact of the pull request)`,
      );
      writeFileSync(join(dir, "bad.json"), "{");
      expect(() => readReviewed(join(dir, "bad.json"))).toThrow(/^--reviewed: .*bad\.json: not JSON/);
      expect(() => readReviewed(join(dir, "none.json"))).toThrow(`--reviewed: ${join(dir, "none.json")}: no such file`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
