import { beforeAfter, finding, show, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";

/** Resources whose loss stops or changes patching: destroying or replacing them is a risk. */
const patchingCore: Record<string, string> = {
  aws_ssm_patch_baseline: "baseline",
  aws_ssm_maintenance_window: "window",
};

/** Everything destroyed or replaced, by name; baselines and windows flagged as risks. */
export const destroyed: Interpreter = (plans) => {
  const findings: Finding[] = [];
  for (const plan of plans) {
    for (const change of plan.changes) {
      const kind = changeKind(change);
      if (kind !== "destroy" && kind !== "replace") continue;
      const { before } = beforeAfter(change);
      const core = patchingCore[change.type];
      const name = before.name ?? before.patch_group ?? change.name;
      const subject = `${core ?? change.type} ${show(name)}`;
      const verb = kind === "destroy" ? "destroyed" : "replaced (destroyed and created again)";
      findings.push(finding(plan, change, core ? "risk" : "change", subject, verb));
    }
  }
  return findings;
};
