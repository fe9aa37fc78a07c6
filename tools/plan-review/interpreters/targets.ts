import { beforeAfter, finding, sameValue, targetSubject, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";

type Targets = ReadonlyArray<{ key: string; values: readonly string[] }>;
const describe = (targets: unknown) => ((targets as Targets | undefined) ?? []).map((t) => `${t.key} = ${t.values.join(", ")}`).join("; ") || "(none)";

/** Maintenance-window targets: which instances a window scans or patches. */
export const targets: Interpreter = (plans) => {
  const findings: Finding[] = [];
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_maintenance_window_target") continue;
      const kind = changeKind(change);
      if (kind !== "update" && kind !== "replace") continue;
      const { before, after } = beforeAfter(change);
      if (sameValue(before.targets, after.targets)) continue;
      findings.push(finding(plan, change, "change", targetSubject(change, after.name), `targets ${describe(before.targets)} → ${describe(after.targets)}`));
    }
  }
  return findings;
};
