import { beforeAfter, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";

/** The smallest approve-after-days of a baseline's rules: when its first patches are approved. */
function earliestApproval(values: Record<string, unknown>): number | undefined {
  const days = ((values.approval_rule as Array<{ approve_after_days?: number }> | undefined) ?? []).map((r) => r.approve_after_days).filter((d): d is number => typeof d === "number");
  return days.length > 0 ? Math.min(...days) : undefined;
}

/**
 * When approve-after-days changes anywhere, whether the rollout is still staggered: per operating
 * system, the days must not decrease along the promotion order. Environments the plans do not
 * show count with their configured value.
 */
export const staggering: Interpreter = (plans, context) => {
  const afterByOs = new Map<string, Map<string, number>>();
  const changedOs = new Map<string, string[]>();
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_patch_baseline" || change.mode !== "managed") continue;
      const { before, after } = beforeAfter(change);
      const os = String(after.operating_system ?? before.operating_system);
      const afterDays = changeKind(change) === "destroy" ? undefined : earliestApproval(after);
      if (afterDays !== undefined) (afterByOs.get(os) ?? afterByOs.set(os, new Map()).get(os)!).set(plan.environment, afterDays);
      if (changeKind(change) !== undefined && earliestApproval(before) !== afterDays) {
        const addresses = changedOs.get(os) ?? [];
        addresses.push(change.address);
        changedOs.set(os, addresses);
      }
    }
  }
  // operating systems with the same days along the promotion order share one line
  const byOutcome = new Map<string, { violated: boolean; along: string; systems: string[]; addresses: string[] }>();
  for (const [os, addresses] of [...changedOs].sort(([a], [b]) => a.localeCompare(b))) {
    const days = context.promotionOrder.map((env) => ({ env, days: afterByOs.get(os)?.get(env) ?? context.configuredApproveAfterDays[env] }));
    const known = days.filter((d): d is { env: string; days: number } => d.days !== undefined);
    const along = known.map((d) => `${d.env} ${d.days}`).join(" → ");
    const violated = known.some((d, i) => i > 0 && d.days < known[i - 1]!.days);
    const outcome = byOutcome.get(along) ?? { violated, along, systems: [], addresses: [] };
    outcome.systems.push(os);
    outcome.addresses.push(...addresses);
    byOutcome.set(along, outcome);
  }
  const findings: Finding[] = [...byOutcome.values()].map(({ violated, along, systems, addresses }) => ({
    stack: "(all)",
    environment: "(all)",
    severity: violated ? "risk" : "change",
    subject: "staggering",
    message: `approve-after-days ${violated ? "no longer staggered" : "still staggered"} along the promotion order for ${systems.join(", ")}: ${along}`,
    addresses: addresses.sort(),
  }));
  return findings;
};
