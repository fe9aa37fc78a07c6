import { oneLine } from "../../shared/escape/plain-text.js";
import type { ApprovalPlan, ApprovalRecord, Approver, PatchStateSummary } from "./record.js";

export { escapeHtml } from "../../shared/escape/html.js";

/**
 * The words of the approval workflow, shared by the request mail, the approval page and the
 * outcome messages, so they describe a request the same way everywhere.
 */

/** `web-1 (i-0abc…)`, or the id alone. Tag values may hold anything: line breaks and controls are flattened. */
export function instanceLabel(record: Pick<ApprovalRecord, "instanceId" | "instanceName">): string {
  const name = record.instanceName && oneLine(record.instanceName).replace(/\s+/g, " ").trim().slice(0, 128);
  return name ? `${name} (${record.instanceId})` : record.instanceId;
}

/** `2027-03-04 21:40 UTC` */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function describePatchState(state: PatchStateSummary): string {
  const parts = [
    `${state.missingCount} missing (${state.criticalNonCompliantCount} critical, ${state.securityNonCompliantCount} security, ${state.otherNonCompliantCount} other non-compliant)`,
    `${state.failedCount} failed`,
    `${state.installedPendingRebootCount} installed pending reboot`,
  ];
  return parts.join(", ");
}

/** What approving does, in the order it happens. */
export function describePlan(plan: ApprovalPlan): string[] {
  const reboot =
    plan.rebootOption === "NoReboot"
      ? "without rebooting (patches that need a reboot stay pending until the next one)"
      : "rebooting the instance if a patch needs it";
  return [
    ...(plan.backupBeforePatch
      ? [`An AMI of the instance is taken first, without rebooting it (patching waits up to ${plan.backupTimeoutMinutes} minutes for it; no AMI, no patching).`]
      : []),
    `AWS-RunPatchBaseline installs the missing patches, ${reboot}; patchline waits up to ${plan.patchTimeoutMinutes} minutes for it.`,
    "You get a message with the result.",
  ];
}

export function describeNoResponse(plan: ApprovalPlan, deadline: string): string {
  const then = plan.onNoResponse === "approve" ? "approved automatically and patched" : "rejected: the instance stays unpatched";
  return `If nobody decides by ${formatTime(deadline)}, the request is escalated and ${then}.`;
}

export function describeApprover(approver: Approver): string {
  switch (approver.kind) {
    case "verified":
      return `${approver.identity} (signed in${approver.issuer ? ` with ${approver.issuer}` : ""})`;
    case "policy":
      return `patchline: ${approver.identity}`;
    default: {
      const from = [approver.sourceIp && `from ${approver.sourceIp}`, approver.userAgent && `using ${approver.userAgent.slice(0, 120)}`]
        .filter(Boolean)
        .join(", ");
      return `someone holding the link${from ? ` (${from})` : ""}`;
    }
  }
}
