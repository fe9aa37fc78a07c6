import { describe, expect, it } from "vitest";
import type { PromotedPatch } from "./promotion-record.js";
import { isCalendarDate, ruleVerdict } from "./promotion-rules.js";

const patch: PromotedPatch = {
  id: "KB1",
  title: "KB1",
  kbId: "KB1",
  classification: "SecurityUpdates",
  severity: "Critical",
  installed: 10,
  pendingReboot: 0,
  failed: 0,
  missing: 0,
  firstInstalledAt: "2026-11-13T03:00:00.000Z",
  lastInstalledAt: "2026-11-13T04:00:00.000Z",
};
const rules = { minInstances: 2, maxFailureRatePercent: 5, soakDays: 3 };

describe("the promotion rules on one patch", () => {
  it("promote a patch soaked exactly the days asked for, and not a day less", () => {
    expect(ruleVerdict(patch, rules, "2026-11-16T03:00:00.000Z")).toBeUndefined();
    expect(ruleVerdict(patch, rules, "2026-11-16T02:59:59.000Z")?.reason).toBe("not-soaked");
  });

  it("count no soak from a time that is not one", () => {
    expect(ruleVerdict({ ...patch, firstInstalledAt: "yesterday" }, rules, "2026-11-20T00:00:00.000Z")).toEqual({
      reason: "not-soaked",
      detail: 'its install time "yesterday" or the evidence\'s "2026-11-20T00:00:00.000Z" is not a time; soakDays is 3',
    });
  });

  it("allow failures up to the rate, inclusive", () => {
    expect(ruleVerdict({ ...patch, installed: 19, failed: 1 }, rules, "2026-11-20T00:00:00.000Z")).toBeUndefined();
    expect(ruleVerdict({ ...patch, installed: 18, failed: 1 }, rules, "2026-11-20T00:00:00.000Z")?.detail).toBe(
      "failed on 1 of 19 instances (5.3 %); maxFailureRate allows 5 %",
    );
  });
});

describe("a calendar date", () => {
  it.each([
    ["2026-11-12", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026-1-05", false],
  ])("%s: %s", (value, valid) => {
    expect(isCalendarDate(value)).toBe(valid);
  });
});
