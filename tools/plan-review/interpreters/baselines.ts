import { beforeAfter, finding, listDiff, sameValue, show, type Finding, type Interpreter } from "../findings.js";
import { changeKind, type StackPlan } from "../plan-json.js";
import { approvalOf, describeApproval, rulesOf, type PlannedApproval, type PlannedRule } from "./rule-approval.js";

const filters = (rule: PlannedRule | undefined) => (rule?.patch_filter ?? []).map((f) => `${f.key} ${f.values.join("/")}`).join(", ");
const approveText = (approval: PlannedApproval | undefined) =>
  approval !== undefined && "until" in approval ? `approve if released on or before ${approval.until}` : `approve after ${approval?.days} days`;

/** One line per stack and change, naming the baselines, instead of one per rule and region. */
interface Grouped {
  readonly plan: StackPlan;
  readonly baselines: Set<string>;
  readonly addresses: Set<string>;
}

function group<T extends Grouped>(groups: Map<string, T>, key: string, create: () => T, name: string, address: string): void {
  const entry = groups.get(key) ?? create();
  entry.baselines.add(name);
  entry.addresses.add(address);
  groups.set(key, entry);
}

/**
 * Patch baselines: approve-after-days per rule (lowering it in the last environment of the
 * promotion order is a risk: production gets patches sooner, with less soak time), approval rules,
 * approved and rejected patches. A rule that switches between days after release and an
 * approve-until date (a promotion record's cut-off, or a configured date), or moves its date, is
 * said as such: the days a rule no longer has are not a lowered stagger.
 */
export const baselines: Interpreter = (plans, context) => {
  const production = context.promotionOrder.at(-1);
  const findings: Finding[] = [];
  const approveDays = new Map<string, Grouped & { from: number; to: number }>();
  const approveBy = new Map<string, Grouped & { from: string; to: string }>();
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
          add(`${label} added: ${filters(a)}, ${approveText(approvalOf(a))}, compliance ${a?.compliance_level}`);
          continue;
        }
        if (!a) {
          add(`${label} removed (was ${filters(b)})`);
          continue;
        }
        const [was, is] = [approvalOf(b), approvalOf(a)];
        const name = show(after.name);
        if (was && is && "days" in was && "days" in is) {
          if (was.days !== is.days)
            group(
              approveDays,
              `${plan.stack}\0${was.days}\0${is.days}`,
              () => ({ plan, from: was.days, to: is.days, baselines: new Set(), addresses: new Set() }),
              name,
              change.address,
            );
        } else if (!sameValue(was, is)) {
          const [from, to] = [describeApproval(was), describeApproval(is)];
          group(approveBy, `${plan.stack}\0${from}\0${to}`, () => ({ plan, from, to, baselines: new Set(), addresses: new Set() }), name, change.address);
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
  // the promotion interpreter says why (a record's cut-off); here, what each stack's baselines do
  for (const { plan, from, to, baselines: names, addresses } of approveBy.values()) {
    findings.push({
      stack: plan.stack,
      environment: plan.environment,
      severity: "change",
      subject: "approval by release date",
      message: `${from} → ${to} in ${[...names].sort().join(", ")}`,
      addresses: [...addresses],
    });
  }
  return findings;
};
