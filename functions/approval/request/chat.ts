import * as z from "zod/mini";
import type { ApprovalChannelDirectory } from "../../../contracts/approval-channels.js";
import { APPROVAL_CHAT_MESSAGES_PER_CHANNEL } from "../../../contracts/approval-channels.js";
import { deliver, type Channel, type DeliveryDeps } from "../../shared/chat/deliver.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import { asError } from "../../shared/errors.js";
import type { Log } from "../../shared/logger.js";
import { approvalChatFormats } from "./chat-formats.js";

/** The `APPROVAL_CHANNELS` variable's shape (contracts/approval-channels.ts). */
const directorySchema = z.object({
  channels: z.record(z.string(), z.object({ type: z.enum(["teams", "slack"]), secretId: z.string().check(z.minLength(1)) })),
  environments: z.record(z.string(), z.array(z.string())),
});

/**
 * Reads `APPROVAL_CHANNELS` (unset: no environment posts to chat) into a lookup of each
 * environment's channels, failing at cold start on a variable the stack did not write.
 */
export function approvalChannels(json: string | undefined): (environment: string) => readonly Channel[] {
  if (json === undefined) return () => [];
  const directory: ApprovalChannelDirectory = directorySchema.parse(JSON.parse(json));
  const byEnvironment = new Map(
    Object.entries(directory.environments).map(([environment, names]) => [
      environment,
      names.map((name): Channel => {
        const channel = directory.channels[name];
        if (!channel) throw new Error(`APPROVAL_CHANNELS: ${environment} names channel ${name}, which it does not define`);
        return { name, type: channel.type, destination: channel.secretId };
      }),
    ]),
  );
  return (environment) => byEnvironment.get(environment) ?? [];
}

export interface ApprovalChat {
  /** The environment's channels, from `APPROVAL_CHANNELS`. */
  readonly channelsOf: (environment: string) => readonly Channel[];
  /** Posts a document to one channel: the digest's delivery (webhook URL from the secret, splitting, retries) with the approval formats. */
  readonly post: (channel: Channel, document: NoticeDocument) => Promise<{ readonly channel: string; readonly messages: number }>;
}

/**
 * The digest's delivery (webhook URL from the secret, splitting, retries) with the approval
 * formats, one message per channel at most: the request function's timeout allows no more
 * (contracts/approval-channels.ts), so a request that would need more fails that channel, unsent.
 */
export function approvalPost(delivery: DeliveryDeps): ApprovalChat["post"] {
  return (channel, document) => deliver(channel, document, delivery, approvalChatFormats, { maxMessages: APPROVAL_CHAT_MESSAGES_PER_CHANNEL });
}

/** A text without the link's signature: an error may quote what a webhook echoed of the message, and logs never hold a working link. */
export function withoutSignature(text: string, signature: string): string {
  return text.split(signature).join("<signature>");
}

/**
 * Posts the request (or a reminder) to every channel of its environment at once. A channel that
 * fails after the retries is logged as a warning and left: the approvers' topic and the owner
 * already have the request by e-mail, and failing the task would make the workflow ask (and mail)
 * again. Which channels got it is returned for the function's log.
 */
export async function postToChannels(
  chat: ApprovalChat,
  request: { readonly approvalId: string; readonly environment: string; readonly reminder: number; readonly signature: string },
  document: NoticeDocument,
  log: Log,
): Promise<{ readonly posted: readonly string[]; readonly failed: readonly string[] }> {
  const channels = chat.channelsOf(request.environment);
  const results = await Promise.allSettled(channels.map((channel) => chat.post(channel, document)));
  const posted: string[] = [];
  const failed: string[] = [];
  results.forEach((result, i) => {
    const channel = channels[i]!;
    if (result.status === "fulfilled") {
      posted.push(channel.name);
      return;
    }
    failed.push(channel.name);
    const error = asError(result.reason);
    log.warn("approval not posted to chat channel", {
      approvalId: request.approvalId,
      reminder: request.reminder,
      channel: channel.name,
      channelType: channel.type,
      error: `${error.name}: ${withoutSignature(error.message, request.signature)}`,
    });
  });
  return { posted, failed };
}
