import type { ApprovalSettings } from "../../../stacks/approval/settings.js";
import { approvalSettingsOf, SETTINGS_STATE } from "../../../stacks/approval/definition.js";
import type { StateMachineDefinition } from "../../../stacks/core/asl.js";
import { beforeAfter, finding, show, type Finding, type Interpreter } from "../findings.js";
import { changeKind, type ResourceChange } from "../plan-json.js";

/** The approval settings a state machine definition carries, or undefined for other state machines. */
function settingsIn(definition: unknown): Record<string, ApprovalSettings> | undefined {
  if (typeof definition !== "string") return undefined;
  try {
    const parsed = JSON.parse(definition) as StateMachineDefinition;
    return parsed.States?.[SETTINGS_STATE] ? approvalSettingsOf(parsed) : undefined;
  } catch {
    return undefined;
  }
}

const fields: ReadonlyArray<readonly [keyof ApprovalSettings, string]> = [
  ["reminderIntervalHours", "reminder interval (h)"],
  ["reminderCount", "reminders"],
  ["onNoResponse", "on no response"],
  ["backupBeforePatch", "backup before patch"],
  ["backupTimeoutMinutes", "backup timeout (min)"],
  ["rebootOption", "reboot option"],
  ["patchTimeoutMinutes", "patch timeout (min)"],
  ["duringFreeze", "during a change freeze"],
  ["changeCalendar", "change calendar"],
];

const summary = (s: ApprovalSettings) =>
  `${s.reminderCount} reminders every ${s.reminderIntervalHours} h, then ${s.onNoResponse}; backup before patch ${s.backupBeforePatch ? "on" : "off"}; reboot ${s.rebootOption}`;

/**
 * A change in production that lets patches reach instances with less care: installing without an
 * answer, no backup before patching, rebooting where it did not.
 */
function riskIn(field: keyof ApprovalSettings, before: unknown, after: unknown): boolean {
  if (field === "onNoResponse") return after === "approve";
  if (field === "backupBeforePatch") return before === true && after === false;
  if (field === "rebootOption") return after === "RebootIfNeeded";
  return false;
}

export const isApproverSubscription = (change: ResourceChange): boolean =>
  change.type === "aws_sns_topic_subscription" && /_ApproverSubscriptions_/.test(change.name);

/** The environments an approver's subscription filters on (its filter policy), for messages. */
export function approverEnvironments(values: Record<string, unknown>): string {
  try {
    return show((JSON.parse(String(values.filter_policy)) as { environment?: string[] }).environment);
  } catch {
    return "(unknown)";
  }
}

/**
 * The approval workflow's per-environment settings (the settings state of the approval state
 * machine's definition) and its approvers (the approvals topic's e-mail subscriptions). In the last
 * environment of the promotion order, switching the workflow off, installing on no response,
 * dropping the backup and rebooting are risks.
 */
export const approvalWorkflow: Interpreter = (plans, context) => {
  const production = context.promotionOrder.at(-1);
  const rank = (environment: string) => context.promotionOrder.indexOf(environment);
  const findings: Finding[] = [];
  for (const plan of plans) {
    for (const change of plan.changes) {
      const kind = changeKind(change);
      if (!kind || change.mode !== "managed") continue;
      const { before, after } = beforeAfter(change);
      // removed approvers are explained with everything else that is destroyed
      if (isApproverSubscription(change)) {
        if (kind === "create") findings.push(finding(plan, change, "change", "approvers", `${show(after.endpoint)} added (${approverEnvironments(after)})`));
        if (kind === "update")
          findings.push(
            finding(
              plan,
              change,
              "change",
              "approvers",
              `${show(after.endpoint)} approves for ${approverEnvironments(before)} → ${approverEnvironments(after)}`,
            ),
          );
        continue;
      }
      if (change.type !== "aws_sfn_state_machine") continue;
      const [was, is] = [settingsIn(before.definition), settingsIn(after.definition)];
      if (!was && !is) continue;
      const environments = [...new Set([...Object.keys(was ?? {}), ...Object.keys(is ?? {})])].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      for (const environment of environments) {
        const [b, a] = [was?.[environment], is?.[environment]];
        const subject = `approval workflow of ${environment}`;
        const add = (message: string, risk = false) => findings.push(finding(plan, change, risk ? "risk" : "change", subject, message));
        if (!b && a) {
          add(`switched on: ${summary(a)}`);
          continue;
        }
        if (b && !a) {
          add(
            "switched off: instances tagged patch-policy=patch-on-approval in it get no approval requests and are not patched by the workflow",
            environment === production,
          );
          continue;
        }
        if (!b || !a) continue;
        for (const [field, label] of fields) {
          if (b[field] === a[field]) continue;
          add(`${label} ${show(b[field])} → ${show(a[field])}`, environment === production && riskIn(field, b[field], a[field]));
        }
      }
    }
  }
  return findings;
};
