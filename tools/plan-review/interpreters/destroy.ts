import { beforeAfter, finding, show, targetSubject, taskSubject, windowOf, type Finding, type Interpreter } from "../findings.js";
import { changeKind, type ResourceChange } from "../plan-json.js";
import { approverEnvironments, isApproverSubscription } from "./approval.js";

interface Loss {
  readonly subject: string;
  /** What losing the resource means for patching, when that is not obvious from the subject. */
  readonly consequence?: string;
  /** Losing it stops or changes patching on its own. */
  readonly risk: boolean;
}

/** The operating system of a patch-group registration, from its pinned construct id (`PatchGroups_<group>_<OS>_<hash>`). */
const registeredOs = (change: ResourceChange) => /_PatchGroups_.+_([A-Z0-9_]+?)_[0-9A-F]{8}$/.exec(change.name)?.[1];

function loss(change: ResourceChange, before: Record<string, unknown>): Loss {
  switch (change.type) {
    case "aws_ssm_patch_baseline":
      return { subject: `baseline ${show(before.name)}`, risk: true };
    case "aws_ssm_maintenance_window":
      return { subject: `window ${show(before.name)}`, risk: true };
    case "aws_ssm_maintenance_window_target":
      return { subject: targetSubject(change, before.name), risk: false };
    case "aws_ssm_maintenance_window_task":
      return { subject: taskSubject(change, before.name), risk: false };
    case "aws_ssm_patch_group":
      return {
        subject: `patch group ${show(before.patch_group)} (${registeredOs(change) ?? "?"})`,
        consequence: "its instances get the default baseline of their operating system",
        risk: false,
      };
    case "aws_ssm_default_patch_baseline":
      return {
        subject: `default baseline for ${show(before.operating_system)}`,
        consequence: "instances without a Patch Group tag fall back to AWS's predefined baseline",
        risk: false,
      };
    case "aws_ssm_document":
      // what a window's runbook did without it the window's install task says (interpreters/tasks.ts)
      if (windowOf(change)) return { subject: `install runbook of window ${windowOf(change)}`, risk: false };
      return { subject: `${change.type} ${show(before.name ?? change.name)}`, risk: false };
    case "aws_sns_topic_subscription":
      return isApproverSubscription(change)
        ? { subject: "approvers", consequence: `${show(before.endpoint)} gets no more approval requests (${approverEnvironments(before)})`, risk: false }
        : { subject: `subscription of ${show(before.endpoint)}`, risk: false };
    default:
      return { subject: `${change.type} ${show(before.name ?? change.name)}`, risk: false };
  }
}

/** Everything destroyed or replaced, in plain words; destroying or replacing a baseline or window is a risk. */
export const destroyed: Interpreter = (plans) => {
  const findings: Finding[] = [];
  for (const plan of plans) {
    for (const change of plan.changes) {
      const kind = changeKind(change);
      if (kind !== "destroy" && kind !== "replace") continue;
      const { subject, consequence, risk } = loss(change, beforeAfter(change).before);
      const verb = kind === "destroy" ? "destroyed" : "replaced (destroyed and created again)";
      findings.push(finding(plan, change, risk ? "risk" : "change", subject, consequence && kind === "destroy" ? `${verb}: ${consequence}` : verb));
    }
  }
  return findings;
};
