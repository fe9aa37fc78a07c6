import type { SFNClient } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";
import * as z from "zod/mini";
import { RequestActions } from "../../../contracts/approval.js";
import { linkUrl, newApprovalId, signLink, type LinkSigner } from "../shared/link.js";
import type { ApprovalRecord } from "../shared/record.js";
import type { ApprovalStore } from "../shared/store.js";
import { sendEmail, type OwnerMail } from "../../shared/email.js";
import { ownerMailbox } from "../../shared/owner-mailbox.js";
import type { Log } from "../../shared/logger.js";
import { publish } from "../shared/notifications.js";
import { deliverDecision } from "../shared/task-callback.js";
import { requestMessage } from "./messages.js";
import { requestChatDocument } from "./chat-document.js";
import { postToChannels, type ApprovalChat } from "./chat.js";

/** What the state machine hands the request function (see stacks/approval/definition.ts). */
const count = z.int().check(z.nonnegative());
/** Tag values and SSM fields arrive as null when absent. */
const nullableText = z.optional(
  z.pipe(
    z.nullish(z.string()),
    z.transform((v) => v ?? undefined),
  ),
);

const registerInput = z.object({
  action: z.literal(RequestActions.register),
  execution: z.string().check(z.minLength(1)),
  request: z.object({
    account: z.string().check(z.regex(/^\d{12}$/)),
    region: z.string().check(z.minLength(1)),
    instanceId: z.string().check(z.regex(/^i-[0-9a-f]+$/)),
    environment: z.string().check(z.minLength(1)),
  }),
  settings: z.object({
    reminderIntervalHours: count,
    reminderCount: count,
    onNoResponse: z.enum(["reject", "approve"]),
    backupBeforePatch: z.boolean(),
    backupTimeoutMinutes: count,
    rebootOption: z.string(),
    patchTimeoutMinutes: count,
  }),
  instance: z.object({ name: nullableText, owner: nullableText }),
  patchState: z.object({
    missingCount: count,
    failedCount: count,
    installedPendingRebootCount: count,
    criticalNonCompliantCount: count,
    securityNonCompliantCount: count,
    otherNonCompliantCount: count,
    baselineId: nullableText,
    patchGroup: nullableText,
    lastOperation: nullableText,
    lastOperationEndTime: nullableText,
  }),
});

const askInput = z.object({
  action: z.literal(RequestActions.ask),
  approvalId: z.string().check(z.minLength(1)),
  reminder: count,
  taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
});

export const requestInput = z.discriminatedUnion("action", [registerInput, askInput]);
export type RegisterInput = z.infer<typeof registerInput>;
export type AskInput = z.infer<typeof askInput>;

export interface RequestDeps {
  readonly store: ApprovalStore;
  readonly signer: LinkSigner;
  readonly sns: SNSClient;
  readonly sfn: SFNClient;
  readonly approvalsTopicArn: string;
  /** The approval API's URL (`https://<id>.execute-api.<region>.amazonaws.com`). */
  readonly apiUrl: string;
  readonly ownerTagKey: string;
  readonly linkValiditySeconds: number;
  readonly recordRetentionDays: number;
  /** SES sender and owner domains for mail to owners; without it, owners are not mailed. */
  readonly email?: OwnerMail;
  /** The environments' chat channels (`approval.channels`) and how to post to one; without it, nothing goes to chat. */
  readonly chat?: ApprovalChat;
  readonly now: () => Date;
  readonly newId?: () => string;
  readonly log: Log;
}

/** How long the instance stays locked: the whole wait, the backup, the patch, and an hour to spare. */
function lockSeconds(settings: RegisterInput["settings"]): number {
  const waitSeconds = (settings.reminderCount + 1) * settings.reminderIntervalHours * 3600;
  const backupSeconds = settings.backupBeforePatch ? settings.backupTimeoutMinutes * 60 : 0;
  return waitSeconds + backupSeconds + settings.patchTimeoutMinutes * 60 + 3600;
}

/** Creates the approval record and takes the instance's lock (ApprovalAlreadyPending if another request is open). */
export async function register(input: RegisterInput, deps: RequestDeps): Promise<{ approvalId: string; deadline: string }> {
  const now = deps.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const { settings, request } = input;
  const approvalId = (deps.newId ?? newApprovalId)();
  const deadline = new Date(now.getTime() + (settings.reminderCount + 1) * settings.reminderIntervalHours * 3_600_000).toISOString();
  const record: ApprovalRecord = {
    approvalId,
    status: "PENDING",
    execution: input.execution,
    account: request.account,
    region: request.region,
    environment: request.environment,
    instanceId: request.instanceId,
    instanceName: input.instance.name,
    owner: input.instance.owner,
    patchState: input.patchState,
    plan: {
      backupBeforePatch: settings.backupBeforePatch,
      backupTimeoutMinutes: settings.backupTimeoutMinutes,
      rebootOption: settings.rebootOption,
      patchTimeoutMinutes: settings.patchTimeoutMinutes,
      onNoResponse: settings.onNoResponse,
      reminderCount: settings.reminderCount,
      reminderIntervalHours: settings.reminderIntervalHours,
    },
    requestedAt: now.toISOString(),
    deadline,
    remindersSent: 0,
    expiresAt: nowSeconds + deps.recordRetentionDays * 86_400,
  };
  await deps.store.create(record, { lockedUntil: nowSeconds + lockSeconds(settings) }, now);
  deps.log.info("approval registered", {
    approvalId,
    account: request.account,
    region: request.region,
    instanceId: request.instanceId,
    environment: request.environment,
  });
  return { approvalId, deadline };
}

/**
 * Stores the task token of this wait and sends the request (reminder > 0: a reminder) with a
 * fresh signed link. The token goes into the table and nowhere else. When a decision reached the
 * table while no wait was open, it is handed to this wait at once.
 */
export async function ask(input: AskInput, deps: RequestDeps): Promise<{ sent: boolean }> {
  const attached = await deps.store.attachToken(input.approvalId, input.taskToken, input.reminder);
  if (!attached.changed) {
    const record = attached.record;
    if (record?.status === "DECIDED" && record.decision) {
      await deliverDecision(deps.sfn, input.taskToken, record.decision);
      deps.log.info("decision recorded while no wait was open: handed to this wait", { approvalId: input.approvalId });
      return { sent: false };
    }
    throw new Error(`approval ${input.approvalId} is ${record ? record.status : "not in the approvals table"}; cannot ask for it`);
  }
  const record = attached.record;
  const now = deps.now();
  const expiresAt = Math.min(Math.floor(Date.parse(record.deadline) / 1000), Math.floor(now.getTime() / 1000) + deps.linkValiditySeconds);
  const parts = await signLink(record.approvalId, expiresAt, deps.signer);
  const link = linkUrl(deps.apiUrl, parts);
  const linkOptions = { link, linkExpiresAt: new Date(expiresAt * 1000).toISOString(), reminder: input.reminder, ownerTagKey: deps.ownerTagKey };
  const message = requestMessage(record, linkOptions);

  await publish(deps.sns, { topicArn: deps.approvalsTopicArn, subject: message.subject, text: message.text, environment: record.environment });
  const owner = deps.email ? ownerMailbox(record.owner, deps.email.ownerDomains) : ({ kind: "none" } as const);
  let ownerMailed = false;
  // an owner outside the owner domains is not mailed: the approvers' topic has the request, the digest lists the owner
  if (owner.kind === "invalid") deps.log.warn("owner not mailed: invalid owner", { approvalId: record.approvalId, reason: owner.reason });
  if (owner.kind === "mail" && deps.email) {
    try {
      await sendEmail(deps.email, { to: [owner.address], subject: message.subject, text: message.text, html: message.html });
      ownerMailed = true;
    } catch (error) {
      // the approvers' topic has the request already; a bounced or throttled owner mail must not stop it
      deps.log.warn("owner e-mail not sent", { approvalId: record.approvalId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  // after the mail: chat is an extra way to reach approvers, and a channel that fails loses no e-mail
  const chat = deps.chat
    ? await postToChannels(
        deps.chat,
        { approvalId: record.approvalId, environment: record.environment, reminder: input.reminder, signature: parts.signature },
        requestChatDocument(record, linkOptions),
        deps.log,
      )
    : undefined;
  deps.log.info(input.reminder === 0 ? "approval requested" : "approval reminder sent", {
    approvalId: record.approvalId,
    reminder: input.reminder,
    ownerMailed,
    ...(chat && (chat.posted.length > 0 || chat.failed.length > 0) ? { chatPosted: chat.posted, chatFailed: chat.failed } : {}),
    linkExpiresAt: expiresAt,
  });
  return { sent: true };
}
