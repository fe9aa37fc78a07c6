import type { HoldReason, PromotedPatch, PromotionRules } from "./promotion-record.js";

/**
 * The promotion rules, applied to one patch of the source's evidence: promote it, or hold it back
 * and say why. `npm run promote` decides with it; synth checks a record's promoted patches with it
 * again, against the rules configured now.
 */

export const DAY_MS = 86_400_000;

/** A real calendar date written YYYY-MM-DD (Patch Manager's ApproveUntilDate); "2026-02-30" is none. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** Failed share of the instances that tried to install the patch, in percent. */
export function failureRatePercent(patch: Pick<PromotedPatch, "installed" | "failed">): number {
  const tried = patch.installed + patch.failed;
  return tried === 0 ? 0 : (100 * patch.failed) / tried;
}

/** A percentage as the review and the record write it: "0.5 %", "12 %". */
export const percent = (value: number): string => `${Number.isInteger(value) ? value : value.toFixed(1)} %`;

export interface RuleVerdict {
  readonly reason: HoldReason;
  /** In words, naming the rule: "failed on 4 of 212 instances (1.9 %); maxFailureRate allows 1 %". */
  readonly detail: string;
}

/**
 * Why the patch may not be promoted under these rules, or undefined when it may. `collectedAt` is
 * when the evidence was collected: soak is what the evidence proves, not what time has passed since.
 */
export function ruleVerdict(patch: PromotedPatch, rules: PromotionRules, collectedAt: string): RuleVerdict | undefined {
  const tried = patch.installed + patch.failed;
  if (patch.failed > 0 && failureRatePercent(patch) > rules.maxFailureRatePercent) {
    return {
      reason: "failed",
      detail: `failed on ${patch.failed} of ${tried} instances (${percent(failureRatePercent(patch))}); maxFailureRate allows ${percent(rules.maxFailureRatePercent)}`,
    };
  }
  if (patch.installed < rules.minInstances) {
    const seen =
      patch.installed === 0
        ? `never installed (missing on ${patch.missing} instance${patch.missing === 1 ? "" : "s"})`
        : `installed on ${patch.installed} instance${patch.installed === 1 ? "" : "s"} only`;
    return { reason: "too-few-instances", detail: `${seen}; minInstances is ${rules.minInstances}` };
  }
  const first = patch.firstInstalledAt === undefined ? undefined : Date.parse(patch.firstInstalledAt);
  const soakedDays = first === undefined ? 0 : (Date.parse(collectedAt) - first) / DAY_MS;
  // a time that is not one proves no soak (NaN would compare false and pass)
  if (Number.isNaN(soakedDays) || soakedDays < rules.soakDays) {
    return {
      reason: "not-soaked",
      detail: Number.isNaN(soakedDays)
        ? `its install time ${JSON.stringify(patch.firstInstalledAt)} or the evidence's ${JSON.stringify(collectedAt)} is not a time; soakDays is ${rules.soakDays}`
        : `first installed ${patch.firstInstalledAt?.slice(0, 10) ?? "never"}, ${Math.max(0, Math.floor(soakedDays))} day${Math.floor(soakedDays) === 1 ? "" : "s"} before the evidence; soakDays is ${rules.soakDays}`,
    };
  }
  return undefined;
}
