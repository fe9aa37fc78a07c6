import { cutoffApplies, type OperatingSystem } from "../../../environments/schema/index.js";
import { beforeAfter, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";
import { earliestApprovalDays as earliestApproval } from "./rule-approval.js";

/**
 * When approve-after-days changes anywhere, whether the rollout is still staggered: per operating
 * system, each environment must approve patches later than the one before it in the promotion
 * order. The schema already forbids a decrease; equal days pass it but mean that the later
 * environment gets patches the same day, with no soak time in the earlier one. That is a risk when
 * an environment of the pair changed. Environments the plans do not show count with their
 * configured value. An environment that approves until a date (a promotion record's cut-off, or a
 * configured date) has no days to stagger by: it is left out, and switching to a date is no change
 * of days (the baselines and promotion interpreters explain it); switching back to days is.
 */
export const staggering: Interpreter = (plans, context) => {
  // an environment with a record approves this OS until its cut-off, unless Patch Manager takes no date for it
  const configuredDays = (env: string, os: string) =>
    cutoffApplies(context.promotionRecords[env], os as OperatingSystem) ? undefined : context.configuredApproveAfterDays[env];
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
      if ((kind === "update" || kind === "replace") && afterDays !== undefined && earliestApproval(before) !== afterDays) {
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
      .map((env) => ({ env, days: afterByOs.get(os)?.get(env) ?? configuredDays(env, os) }))
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
