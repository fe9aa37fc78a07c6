import { beforeAfter, finding, regionOf, show, taskSubject, windowOf, type Finding, type Interpreter } from "../findings.js";
import { changeKind, type ResourceChange } from "../plan-json.js";

/** `values` is absent from a plan where Terraform knows it only after apply (e.g. a role ARN of a new stack). */
type Parameters = ReadonlyArray<{ name: string; values?: readonly string[] }>;

/** Parameters of a maintenance-window task, by name: a Run Command task's, or an install runbook's (the patch command's among them). */
export function taskParameters(values: Record<string, unknown>): Map<string, string> {
  type Invocation = { run_command_parameters?: Array<{ parameter?: Parameters }>; automation_parameters?: Array<{ parameter?: Parameters }> };
  const invocation = (values.task_invocation_parameters as Invocation[] | undefined)?.[0];
  const parameters = invocation?.run_command_parameters?.[0]?.parameter ?? invocation?.automation_parameters?.[0]?.parameter ?? [];
  return new Map(parameters.map((p) => [p.name, p.values ? p.values.join(", ") : "(known after apply)"]));
}

const operationOf = (values: Record<string, unknown>) => taskParameters(values).get("Operation");
const hookParameters = ["PreInstallHookDocName", "PostInstallHookDocName", "OnExitHookDocName"];
/** A window in one region: the same window exists once per region of the account. */
const windowKey = (change: ResourceChange) => `${regionOf(change) ?? ""}/${windowOf(change) ?? "?"}`;

/**
 * Maintenance-window tasks: rate control, document, Scan/Install operation, reboot option, hooks.
 * Install switched on where an existing window only scanned (a task now installs, none did
 * before) is a risk; a new window that installs is not a switch (e.g. a new account).
 */
export const tasks: Interpreter = (plans, context) => {
  const findings: Finding[] = [];
  for (const plan of plans) {
    const newWindows = new Set(plan.changes.filter((c) => c.type === "aws_ssm_maintenance_window" && changeKind(c) === "create").map(windowKey));
    const installingBefore = new Set<string>();
    const installingAfter = new Map<string, ResourceChange>();
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_maintenance_window_task" || change.mode !== "managed") continue;
      const kind = changeKind(change);
      const { before, after } = beforeAfter(change);
      if (change.change.before && operationOf(before) === "Install") installingBefore.add(windowKey(change));
      if (change.change.after && kind !== "destroy" && operationOf(after) === "Install") installingAfter.set(windowKey(change), change);
      if (kind !== "update" && kind !== "replace") continue;

      const subject = taskSubject(change, after.name);
      const add = (message: string, risk = false) => findings.push(finding(plan, change, risk ? "risk" : "change", subject, message));
      for (const [field, label] of [
        ["max_concurrency", "concurrency"],
        ["max_errors", "error threshold"],
      ] as const) {
        if (before[field] !== after[field]) add(`${label} ${show(before[field])} → ${show(after[field])}`);
      }
      if (before.task_arn !== after.task_arn) add(`document ${show(before.task_arn)} → ${show(after.task_arn)}`);
      // the install runbook (backup, change calendar) in place of the patch document, or the other way round
      if (before.task_type !== after.task_type)
        add(
          after.task_type === "AUTOMATION"
            ? "runs the install runbook: change calendar and backup (as configured) before the patch command"
            : "runs the patch document directly again: no backup before install, no change-freeze check",
          after.task_type !== "AUTOMATION" && plan.environment === context.promotionOrder.at(-1),
        );
      const [pb, pa] = [taskParameters(before), taskParameters(after)];
      if (pb.get("Operation") !== pa.get("Operation")) {
        add(`operation ${show(pb.get("Operation"))} → ${show(pa.get("Operation"))}`, pa.get("Operation") === "Install");
      }
      if (pb.get("RebootOption") !== pa.get("RebootOption")) add(`reboot option ${show(pb.get("RebootOption"))} → ${show(pa.get("RebootOption"))}`);
      for (const hook of hookParameters) {
        if (pb.get(hook) !== pa.get(hook)) add(`${hook} ${show(pb.get(hook))} → ${show(pa.get(hook))}`);
      }
    }
    for (const [key, change] of [...installingAfter].sort(([a], [b]) => a.localeCompare(b))) {
      if (installingBefore.has(key) || newWindows.has(key) || changeKind(change) !== "create") continue;
      const reboot = show(taskParameters(change.change.after ?? {}).get("RebootOption"));
      findings.push(
        finding(
          plan,
          change,
          "risk",
          `window ${windowOf(change) ?? "?"}`,
          `install switched on: the window only scanned before, now it installs patches (reboot option ${reboot})`,
        ),
      );
    }
  }
  return findings;
};
