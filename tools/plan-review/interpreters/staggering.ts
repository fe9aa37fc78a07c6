import { beforeAfter, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";

/** The smallest approve-after-days of a baseline's rules: when its first patches are approved. */
function earliestApproval(values: Record<string, unknown>): number | undefined {
  const days = ((values.approval_rule as Array<{ approve_after_days?: number }> | undefined) ?? [])
    .map((r) => r.approve_after_days)
    .filter((d): d is number => typeof d === "number");
  return days.length > 0 ? Math.min(...days) : undefined;
}

/**
 * When approve-after-days changes anywhere, whether the rollout is still staggered: per operating
 * system, each environment must approve patches later than the one before it in the promotion
 * order. The schema already forbids a decrease; equal days pass it but mean that the later
 * environment gets patches the same day, with no soak time in the earlier one. That is a risk when
 * an environment of the pair changed. Environments the plans do not show count with their
 * configured value.
 */
export const staggering: Interpreter = (plans, context) => {
  const afterByOs = new Map<string, Map<string, number>>();
  const changed = new Map<string, { environments: Set<string>; addresses: string[] }>();
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_patch_baseline" || change.mode !== "managed") continue;
      const kind = changeKind(change);
      // a destroyed baseline leaves no days behind: the environment keeps its configured value
      if (kind === "destroy") continue;
      const { before, after } = beforeAfter(change);
      const os = String(after.operating_system);
      const afterDays = earliestApproval(after);
      if (afterDays !== undefined) (afterByOs.get(os) ?? afterByOs.set(os, new Map()).get(os)!).set(plan.environment, afterDays);
      // a new baseline (e.g. of a new account) takes its environment's days: no change to the stagger
      if ((kind === "update" || kind === "replace") && earliestApproval(before) !== afterDays) {
        const entry = changed.get(os) ?? { environments: new Set<string>(), addresses: [] };
        entry.environments.add(plan.environment);
        entry.addresses.push(change.address);
        changed.set(os, entry);
      }
    }
  }
  // operating systems with the same outcome share one line
  const byOutcome = new Map<string, { risk: boolean; message: string; systems: string[]; addresses: string[] }>();
  for (const [os, { environments, addresses }] of [...changed].sort(([a], [b]) => a.localeCompare(b))) {
    const known = context.promotionOrder
      .map((env) => ({ env, days: afterByOs.get(os)?.get(env) ?? context.configuredApproveAfterDays[env] }))
      .filter((d): d is { env: string; days: number } => d.days !== undefined);
    const along = known.map((d) => `${d.env} ${d.days}`).join(" → ");
    const unstaggered = known
      .map((d, i) => ({ earlier: known[i - 1], later: d }))
      .filter(
        (p): p is { earlier: { env: string; days: number }; later: { env: string; days: number } } => p.earlier !== undefined && p.later.days <= p.earlier.days,
      )
      .filter((p) => environments.has(p.earlier.env) || environments.has(p.later.env));
    const why = unstaggered.map(
      (p) =>
        `${p.later.env} approves after ${p.later.days} days, not later than ${p.earlier.env} (${p.earlier.days}): ${p.later.env} gets patches without soak time in ${p.earlier.env}`,
    );
    const risk = why.length > 0;
    const key = `${along}\0${why.join("\0")}`;
    const outcome = byOutcome.get(key) ?? { risk, message: `${along}${risk ? `; ${why.join("; ")}` : ""}`, systems: [], addresses: [] };
    outcome.systems.push(os);
    outcome.addresses.push(...addresses);
    byOutcome.set(key, outcome);
  }
  return [...byOutcome.values()].map(
    ({ risk, message, systems, addresses }): Finding => ({
      stack: "(all)",
      environment: "(all)",
      severity: risk ? "risk" : "change",
      subject: "staggering",
      message: `approve-after-days ${risk ? "no longer staggered" : "still staggered"} along the promotion order for ${systems.join(", ")}: ${message}`,
      addresses: addresses.sort(),
    }),
  );
};
