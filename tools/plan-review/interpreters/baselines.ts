import { beforeAfter, finding, listDiff, sameValue, show, type Finding, type Interpreter } from "../findings.js";
import { changeKind, type StackPlan } from "../plan-json.js";

interface Rule {
  readonly approve_after_days?: number | null;
  readonly compliance_level?: string | null;
  readonly enable_non_security?: boolean | null;
  readonly patch_filter?: ReadonlyArray<{ key: string; values: readonly string[] }>;
}

const rulesOf = (values: Record<string, unknown>) => (values.approval_rule as Rule[] | undefined) ?? [];
const filters = (rule: Rule | undefined) => (rule?.patch_filter ?? []).map((f) => `${f.key} ${f.values.join("/")}`).join(", ");

/**
 * Patch baselines: approve-after-days per rule (lowering it in the last environment of the
 * promotion order is a risk: production gets patches sooner, with less soak time), approval rules,
 * approved and rejected patches.
 */
export const baselines: Interpreter = (plans, context) => {
  const production = context.promotionOrder.at(-1);
  const findings: Finding[] = [];
  // one line per stack and change of days, naming the baselines, instead of one per rule and region
  const approveDays = new Map<string, { plan: StackPlan; from: number; to: number; baselines: Set<string>; addresses: Set<string> }>();
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_patch_baseline") continue;
      const kind = changeKind(change);
      if (kind !== "update" && kind !== "replace") continue;
      const { before, after } = beforeAfter(change);
      const subject = `baseline ${show(after.name ?? before.name)}`;
      const add = (message: string, risk = false) => findings.push(finding(plan, change, risk ? "risk" : "change", subject, message));

      const [rulesBefore, rulesAfter] = [rulesOf(before), rulesOf(after)];
      for (let i = 0; i < Math.max(rulesBefore.length, rulesAfter.length); i++) {
        const [b, a] = [rulesBefore[i], rulesAfter[i]];
        const label = `approval rule ${i + 1}`;
        if (!b) {
          add(`${label} added: ${filters(a)}, approve after ${a?.approve_after_days} days, compliance ${a?.compliance_level}`);
          continue;
        }
        if (!a) {
          add(`${label} removed (was ${filters(b)})`);
          continue;
        }
        if (a.approve_after_days !== b.approve_after_days) {
          const key = `${plan.stack}\0${b.approve_after_days}\0${a.approve_after_days}`;
          const entry = approveDays.get(key) ?? {
            plan,
            from: b.approve_after_days ?? 0,
            to: a.approve_after_days ?? 0,
            baselines: new Set<string>(),
            addresses: new Set<string>(),
          };
          entry.baselines.add(show(after.name));
          entry.addresses.add(change.address);
          approveDays.set(key, entry);
        }
        if (!sameValue(a.patch_filter, b.patch_filter)) add(`${label} filters ${filters(b)} → ${filters(a)}`);
        if (a.compliance_level !== b.compliance_level) add(`${label} compliance level ${b.compliance_level} → ${a.compliance_level}`);
        if (a.enable_non_security !== b.enable_non_security)
          add(`${label} non-security updates ${b.enable_non_security ? "on" : "off"} → ${a.enable_non_security ? "on" : "off"}`);
      }
      for (const [field, what] of [
        ["approved_patches", "approved patches"],
        ["rejected_patches", "rejected patches"],
      ] as const) {
        const { added, removed } = listDiff(before[field], after[field]);
        if (added.length > 0) add(`${what} added: ${added.join(", ")}`);
        if (removed.length > 0) add(`${what} removed: ${removed.join(", ")}`);
      }
      if (before.rejected_patches_action !== after.rejected_patches_action)
        add(`rejected patches action ${show(before.rejected_patches_action)} → ${show(after.rejected_patches_action)}`);
      if (before.approved_patches_compliance_level !== after.approved_patches_compliance_level) {
        add(`approved patches compliance level ${show(before.approved_patches_compliance_level)} → ${show(after.approved_patches_compliance_level)}`);
      }
    }
  }
  for (const { plan, from, to, baselines: names, addresses } of approveDays.values()) {
    const risk = to < from && plan.environment === production;
    findings.push({
      stack: plan.stack,
      environment: plan.environment,
      severity: risk ? "risk" : "change",
      subject: "approve-after-days",
      message: `${from} → ${to}${risk ? ` (lowered in ${production}: patches reach production sooner after release)` : ""} in ${[...names].sort().join(", ")}`,
      addresses: [...addresses],
    });
  }
  return findings;
};
