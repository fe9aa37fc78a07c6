import type { SNSClient } from "@aws-sdk/client-sns";
import * as z from "zod/mini";
import { completedOutcomes, OutcomeActions, outcomeStatuses, quietOutcomes } from "../../../contracts/approval.js";
import type { DecisionRecord, OutcomeRecord } from "../shared/record.js";
import type { ApprovalStore } from "../shared/store.js";
import { sendEmail, type OwnerMail } from "../../shared/email.js";
import { ownerMailbox } from "../../shared/owner-mailbox.js";
import type { Log } from "../../shared/logger.js";
import { publish } from "../shared/notifications.js";
import { escalationMessage, outcomeMessage, type OutcomeSubject } from "./messages.js";

const text = z.string().check(z.minLength(1));
const optionalText = z.optional(z.string());
const request = z.object({ account: z.string().check(z.regex(/^\d{12}$/)), region: text, instanceId: text, environment: text });
const approver = z.object({
  kind: z.enum(["verified", "unverified", "policy"]),
  identity: z.string(),
  issuer: optionalText,
  sourceIp: optionalText,
  userAgent: optionalText,
});

const closeInput = z.object({ action: z.literal(OutcomeActions.closeUnanswered), approvalId: text, request });

/** The workflow's state when it ends (stacks/approval/definition.ts); only `request` and `outcome` are always there. */
const finishInput = z.object({
  action: z.literal(OutcomeActions.finish),
  execution: text,
  state: z.object({
    request,
    outcome: z.object({ status: z.enum(outcomeStatuses), step: optionalText }),
    instance: z.optional(z.object({ name: z.optional(z.nullish(z.string())) })),
    approval: z.optional(z.object({ approvalId: text })),
    decision: z.optional(z.object({ decision: z.enum(["approve", "reject"]), approver, decidedAt: optionalText })),
    backup: z.optional(z.object({ imageId: optionalText, status: optionalText, reason: optionalText })),
    command: z.optional(
      z.object({ commandId: optionalText, status: optionalText, commandStatus: optionalText, statusDetails: optionalText, errorExcerpt: optionalText }),
    ),
    error: z.optional(z.object({ Error: optionalText, Cause: optionalText })),
    /** Why the instance's patches did (not) ask (the patch function's readPatchState). */
    patchState: z.optional(z.object({ urgency: optionalText })),
    /** The change calendar as the patch function last read it (checkCalendar). */
    freeze: z.optional(z.object({ state: z.optional(z.string()), nextTransitionTime: optionalText, checks: z.optional(z.number()) })),
  }),
});

export const outcomeInput = z.discriminatedUnion("action", [closeInput, finishInput]);
export type CloseInput = z.infer<typeof closeInput>;
export type FinishInput = z.infer<typeof finishInput>;

export interface OutcomeDeps {
  readonly store: ApprovalStore;
  readonly sns: SNSClient;
  readonly approvalsTopicArn: string;
  readonly escalationTopicArn: string;
  /** The platform team's topic: failures go there too. */
  readonly notificationsTopicArn: string;
  readonly recordRetentionDays: number;
  /** SES sender and owner domains for mail to owners; without it, owners are not mailed. */
  readonly email?: OwnerMail;
  readonly now: () => Date;
  readonly log: Log;
}

/**
 * The last wait ended unanswered. Closes the request (PENDING → NO_RESPONSE) and escalates; a
 * decision that reached the table in the meantime wins and is returned instead.
 */
export async function closeUnanswered(input: CloseInput, deps: OutcomeDeps): Promise<{ answered: false } | { answered: true; decision: DecisionRecord }> {
  const closed = await deps.store.closeUnanswered(input.approvalId, deps.now().toISOString());
  if (!closed.changed) {
    if (closed.record?.status === "DECIDED" && closed.record.decision) return { answered: true, decision: closed.record.decision };
    // NO_RESPONSE: an earlier attempt of this step closed it; escalate (again) below
    if (closed.record?.status !== "NO_RESPONSE")
      throw new Error(`approval ${input.approvalId} is ${closed.record?.status ?? "not in the approvals table"}; cannot close it`);
  }
  const record = closed.record!;
  const message = escalationMessage(record);
  await publish(deps.sns, { topicArn: deps.escalationTopicArn, subject: message.subject, text: message.text, environment: record.environment });
  deps.log.info("approval escalated: nobody answered", {
    approvalId: record.approvalId,
    environment: record.environment,
    onNoResponse: record.plan.onNoResponse,
  });
  return { answered: false };
}

/** Lambda errors reach the state as `{"errorType":…,"errorMessage":…}` in Cause; keep the message. */
function causeText(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string") return parsed.errorMessage;
  } catch {
    // a plain-text cause
  }
  return cause;
}

function detailOf(state: FinishInput["state"]): string | undefined {
  const parts: string[] = [];
  if (state.outcome.status === "not-urgent" && state.patchState?.urgency) parts.push(state.patchState.urgency);
  if (state.outcome.status === "backup-failed" && state.backup?.reason) parts.push(state.backup.reason);
  if (state.outcome.status === "frozen" && state.freeze)
    parts.push(
      `the change calendar was ${state.freeze.state ?? "CLOSED"}${state.freeze.nextTransitionTime ? ` until ${state.freeze.nextTransitionTime}` : ""} at the last of ${state.freeze.checks ?? 1} check${state.freeze.checks === 1 ? "" : "s"}`,
    );
  if (state.outcome.status === "patch-failed" && state.command) {
    const c = state.command;
    if (c.status === "timed-out") parts.push(`the command was still ${c.commandStatus ?? "running"} when patchline stopped waiting`);
    if (c.statusDetails) parts.push(`status details: ${c.statusDetails}`);
    if (c.errorExcerpt) parts.push(`output: ${c.errorExcerpt}`);
  }
  if (state.error) parts.push([state.error.Error, causeText(state.error.Cause)].filter(Boolean).join(": "));
  const detail = parts.filter(Boolean).join("; ");
  return detail === "" ? undefined : detail.slice(0, 2000);
}

/**
 * Records how the workflow ended (the approval record, or an execution record when no request was
 * registered), frees the instance for future requests, and announces it: to the environment's
 * approvers, the owner, and for failures the platform team. A quiet outcome (not urgent: nobody
 * was asked) is recorded only.
 */
export async function finish(input: FinishInput, deps: OutcomeDeps): Promise<{ recorded: true }> {
  const { state } = input;
  const now = deps.now();
  const outcome: OutcomeRecord = {
    status: state.outcome.status,
    step: state.outcome.step,
    detail: detailOf(state),
    amiId: state.backup?.imageId,
    commandId: state.command?.commandId,
    commandStatus: state.command?.commandStatus,
    finishedAt: now.toISOString(),
  };
  // the decision made by policy (onNoResponse approve) has no time yet: it is made now
  const decision: DecisionRecord | undefined = state.decision ? { ...state.decision, decidedAt: state.decision.decidedAt ?? now.toISOString() } : undefined;

  let subject: OutcomeSubject = { ...state.request, instanceName: state.instance?.name ?? undefined };
  let owner: string | undefined;
  if (state.approval) {
    const approvalId = state.approval.approvalId;
    await deps.store.recordOutcome(approvalId, outcome, decision?.approver.kind === "policy" ? decision : undefined);
    await deps.store.releaseLock(state.request, approvalId);
    const record = await deps.store.get(approvalId);
    if (record) {
      subject = record;
      owner = record.owner;
    }
  } else {
    await deps.store.recordExecutionOutcome({
      execution: input.execution,
      request: state.request,
      outcome,
      expiresAt: Math.floor(now.getTime() / 1000) + deps.recordRetentionDays * 86_400,
    });
  }

  if (quietOutcomes.includes(outcome.status)) {
    deps.log.info("approval workflow finished quietly", { execution: input.execution, status: outcome.status, detail: outcome.detail });
    return { recorded: true };
  }
  const message = outcomeMessage(subject, outcome, decision, input.execution);
  const failed = !completedOutcomes.includes(outcome.status);
  await publish(deps.sns, { topicArn: deps.approvalsTopicArn, subject: message.subject, text: message.text, environment: subject.environment });
  if (failed) await publish(deps.sns, { topicArn: deps.notificationsTopicArn, subject: message.subject, text: message.text, environment: subject.environment });
  const mailbox = deps.email ? ownerMailbox(owner, deps.email.ownerDomains) : undefined;
  if (mailbox?.kind === "mail" && deps.email) {
    try {
      await sendEmail(deps.email, { to: [mailbox.address], subject: message.subject, text: message.text });
    } catch (error) {
      deps.log.warn("owner e-mail not sent", { approvalId: state.approval?.approvalId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  deps.log.info("approval workflow finished", {
    approvalId: state.approval?.approvalId,
    execution: input.execution,
    status: outcome.status,
    amiId: outcome.amiId,
    commandId: outcome.commandId,
  });
  return { recorded: true };
}
