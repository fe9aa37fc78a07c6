import type { OutcomeStatus } from "../../../contracts/approval.js";
import { oneLine } from "../../shared/escape/plain-text.js";
import type { ApprovalRecord, DecisionRecord, OutcomeRecord } from "../shared/record.js";
import { describeApprover, describePatchState, formatTime, instanceLabel } from "../shared/text.js";

/** What the outcome and escalation messages say about the instance. */
export interface OutcomeSubject {
  readonly account: string;
  readonly region: string;
  readonly environment: string;
  readonly instanceId: string;
  readonly instanceName?: string;
}

export interface Message {
  readonly subject: string;
  readonly text: string;
}

const headlines: Record<OutcomeStatus, (label: string) => string> = {
  patched: (l) => `${l} is patched`,
  rejected: (l) => `Patching of ${l} was rejected`,
  expired: (l) => `Nobody approved patching of ${l}: not patched`,
  "backup-failed": (l) => `Backup of ${l} failed: not patched`,
  "patch-failed": (l) => `Patching of ${l} failed`,
  error: (l) => `The approval workflow for ${l} failed`,
  "not-urgent": (l) => `${l} misses no urgent patch: nobody was asked`,
  frozen: (l) => `A change freeze is in effect: ${l} was approved but not patched`,
};

function facts(subject: OutcomeSubject): string[] {
  return [`Instance: ${instanceLabel(subject)}`, `Account: ${subject.account}`, `Region: ${subject.region}`, `Environment: ${subject.environment}`];
}

/** The end of the story: what happened, who decided, the AMI and the command, what to look at. */
export function outcomeMessage(subject: OutcomeSubject, outcome: OutcomeRecord, decision: DecisionRecord | undefined, execution: string): Message {
  const headline = headlines[outcome.status](instanceLabel(subject));
  const lines = [
    `${headline}.`,
    "",
    ...facts(subject),
    ...(decision
      ? [
          // the approver's identity comes from a sign-in token or a browser: one line, whatever it holds
          oneLine(
            `Decision: ${decision.decision === "approve" ? "approved" : "rejected"} by ${describeApprover(decision.approver)}${decision.decidedAt ? ` at ${formatTime(decision.decidedAt)}` : ""}`,
          ),
        ]
      : []),
    ...(outcome.amiId ? [`Backup AMI: ${outcome.amiId}`] : []),
    ...(outcome.commandId ? [`Patch command: ${outcome.commandId}${outcome.commandStatus ? ` (${outcome.commandStatus})` : ""}`] : []),
    ...(outcome.step ? [`Failed step: ${outcome.step}`] : []),
    ...(outcome.detail ? [`Details: ${oneLine(outcome.detail)}`] : []),
    `Finished: ${formatTime(outcome.finishedAt)}`,
    `Execution: ${execution}`,
  ];
  return { subject: `[patchline] ${headline}`, text: lines.join("\n") };
}

/** Nobody answered within the reminders: the escalation topic hears of it, with what happens next. */
export function escalationMessage(record: ApprovalRecord): Message {
  const label = instanceLabel(record);
  const then =
    record.plan.onNoResponse === "approve"
      ? "It is approved automatically and patched now (onNoResponse approve)."
      : "It is rejected and stays unpatched (onNoResponse reject).";
  const text = [
    `Nobody answered the request to patch ${label} in ${record.environment}, requested ${formatTime(record.requestedAt)}, after ${record.remindersSent} reminder(s).`,
    then,
    "",
    ...facts(record),
    `Patches: ${describePatchState(record.patchState)}`,
    ...(record.owner ? [`Owner: ${oneLine(record.owner)}`] : []),
    `Approval id: ${record.approvalId}`,
  ].join("\n");
  return { subject: `[patchline] Escalation: nobody approved patching of ${label} in ${record.environment}`, text };
}
