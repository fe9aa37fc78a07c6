import { PATCH_TASK_DOCUMENTS } from "./patch-documents.js";
import { InstallSteps, STEPS_BEFORE_PATCHING } from "./install-runbook.js";

/**
 * The SSM events member accounts forward to the central bus. The patterns match what SSM emits
 * (compliance status is lower case, `non_compliant`), and the central rules match the same shapes.
 */
export const forwardedEvents = {
  /** An instance's patch compliance turned non-compliant (starts the approval workflow). */
  patchNonCompliant: {
    source: ["aws.ssm"],
    "detail-type": ["Configuration Compliance State Change"],
    detail: {
      "compliance-type": ["Patch"],
      "compliance-status": [{ "equals-ignore-case": "non_compliant" }],
    },
  },
  /** A maintenance window execution or one of its tasks failed or timed out. */
  maintenanceWindowFailed: {
    source: ["aws.ssm"],
    "detail-type": ["Maintenance Window Execution State-change Notification", "Maintenance Window Task Execution State-change Notification"],
    detail: { status: ["FAILED", "TIMED_OUT"] },
  },
  /** A patch command failed or timed out on an instance. */
  patchCommandFailed: {
    source: ["aws.ssm"],
    "detail-type": ["EC2 Command Invocation Status-change Notification"],
    detail: { "document-name": [...PATCH_TASK_DOCUMENTS], status: ["Failed", "TimedOut"] },
  },
  /**
   * patchline's install runbook stopped before it patched an instance: a change freeze was in
   * effect (its change-freeze step ran), or the calendar check or the backup failed or timed out.
   * Automation names the step in the event; the install runbook's step names are patchline's own.
   */
  installStoppedBeforePatching: {
    source: ["aws.ssm"],
    "detail-type": ["EC2 Automation Step Status-change Notification"],
    detail: {
      $or: [
        { StepName: [InstallSteps.changeFreeze], Status: ["Success"] },
        { StepName: [...STEPS_BEFORE_PATCHING], Status: ["Failed", "TimedOut", "Cancelled"] },
      ],
    },
  },
} as const;

export type ForwardedEventKind = keyof typeof forwardedEvents;
