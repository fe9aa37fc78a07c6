import { beforeAfter, finding, show, windowOf, type Finding, type Interpreter } from "../findings.js";
import { changeKind, type ResourceChange } from "../plan-json.js";

type Parameters = ReadonlyArray<{ name: string; values: readonly string[] }>;

/** Run Command parameters of a maintenance-window task, by name. */
export function taskParameters(values: Record<string, unknown>): Map<string, string> {
  const invocation = (values.task_invocation_parameters as Array<{ run_command_parameters?: Array<{ parameter?: Parameters }> }> | undefined)?.[0];
  const parameters = invocation?.run_command_parameters?.[0]?.parameter ?? [];
  return new Map(parameters.map((p) => [p.name, p.values.join(", ")]));
}

const operationOf = (values: Record<string, unknown>) => taskParameters(values).get("Operation");
const hookParameters = ["PreInstallHookDocName", "PostInstallHookDocName", "OnExitHookDocName"];

/**
 * Maintenance-window tasks: rate control, document, Scan/Install operation, reboot option, hooks.
 * Install switched on where a window only scanned (a task now installs, none did before) is a risk.
 */
export const tasks: Interpreter = (plans) => {
  const findings: Finding[] = [];
  for (const plan of plans) {
    const installingBefore = new Set<string>();
    const installingAfter = new Map<string, ResourceChange>();
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_maintenance_window_task" || change.mode !== "managed") continue;
      const kind = changeKind(change);
      const { before, after } = beforeAfter(change);
      const window = windowOf(change) ?? "?";
      if (change.change.before && operationOf(before) === "Install") installingBefore.add(window);
      if (change.change.after && kind !== "destroy" && operationOf(after) === "Install") installingAfter.set(window, change);
      if (kind !== "update" && kind !== "replace") continue;

      const subject = `${show(after.name)} task of window ${window}`;
      const add = (message: string, risk = false) => findings.push(finding(plan, change, risk ? "risk" : "change", subject, message));
      for (const [field, label] of [
        ["max_concurrency", "concurrency"],
        ["max_errors", "error threshold"],
      ] as const) {
        if (before[field] !== after[field]) add(`${label} ${show(before[field])} → ${show(after[field])}`);
      }
      if (before.task_arn !== after.task_arn) add(`document ${show(before.task_arn)} → ${show(after.task_arn)}`);
      const [pb, pa] = [taskParameters(before), taskParameters(after)];
      if (pb.get("Operation") !== pa.get("Operation")) {
        add(`operation ${show(pb.get("Operation"))} → ${show(pa.get("Operation"))}`, pa.get("Operation") === "Install");
      }
      if (pb.get("RebootOption") !== pa.get("RebootOption")) add(`reboot option ${show(pb.get("RebootOption"))} → ${show(pa.get("RebootOption"))}`);
      for (const hook of hookParameters) {
        if (pb.get(hook) !== pa.get(hook)) add(`${hook} ${show(pb.get(hook))} → ${show(pa.get(hook))}`);
      }
    }
    for (const [window, change] of [...installingAfter].sort(([a], [b]) => a.localeCompare(b))) {
      if (installingBefore.has(window) || changeKind(change) !== "create") continue;
      findings.push(finding(plan, change, "risk", `window ${window}`, `install switched on: the window only scanned before, now it installs patches (reboot option ${show(taskParameters(change.change.after ?? {}).get("RebootOption"))})`));
    }
  }
  return findings;
};
