import { APPROVAL_CHAT_MESSAGES_PER_CHANNEL, type ApprovalChannelDirectory } from "../../contracts/approval-channels.js";
import { ownerEmailDomains, type OrgConfig } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";

/**
 * The chat channels of the environments that use the workflow (`approval.channels`), each channel
 * once, or undefined when none posts to chat. The schema allows only Teams and Slack channels here.
 */
export function approvalChannelDirectory(config: OrgConfig, naming: Naming): ApprovalChannelDirectory | undefined {
  const environments = config.environments.flatMap((e) =>
    e.approval?.enabled && e.approval.channels.length > 0 ? [[e.name, e.approval.channels] as const] : [],
  );
  if (environments.length === 0) return undefined;
  const names = [...new Set(environments.flatMap(([, channels]) => channels))];
  return {
    channels: Object.fromEntries(
      names.map((name) => {
        const type = config.org.channels[name]?.type;
        if (type !== "teams" && type !== "slack") throw new Error(`approval channel ${name} is not a Teams or Slack channel of org.channels`);
        return [name, { type, secretId: naming.channelSecret(name) }];
      }),
    ),
    environments: Object.fromEntries(environments.map(([name, channels]) => [name, [...channels]])),
  };
}

/** The secrets the request function reads webhook URLs from: exactly the approval channels' (secret ARNs end in a random suffix). */
export function approvalChannelSecretArnPatterns(config: OrgConfig, naming: Naming): string[] {
  return Object.keys(approvalChannelDirectory(config, naming)?.channels ?? {}).map((name) => naming.channelSecretArnPattern(name));
}

/** Worst case of one message's post with the digest's retries (functions/shared/chat/http-retry.ts: 5 attempts of at most 10 s, 4 pauses of at most 30 s). */
const CHAT_MESSAGE_WORST_SECONDS = 5 * 10 + 4 * 30;
/** The rest of an ask: the record, the signed link, the mails and the webhook URL's secret. */
const ASK_WORK_SECONDS = 70;

/**
 * The request function's timeout when it posts to chat: channels are posted to at once, each with
 * at most APPROVAL_CHAT_MESSAGES_PER_CHANNEL messages, one after another (the function refuses a
 * request that would need more). A slow channel ends as a logged warning, never as a timed-out task
 * that the workflow would retry (and mail again). 240 s, as the digest function's.
 */
export const REQUEST_TIMEOUT_WITH_CHAT_SECONDS = CHAT_MESSAGE_WORST_SECONDS * APPROVAL_CHAT_MESSAGES_PER_CHANNEL + ASK_WORK_SECONDS;

/**
 * The request function's environment: table, link key, topic, the base URL links start with, the
 * org's approval settings, the owner mail sender and domains, and the chat channels per
 * environment. The construct passes Terraform references; the limit check
 * (stacks/limits/request-environment.ts) values of their deployed shape.
 */
export function requestEnvironment(config: OrgConfig, naming: Naming, refs: { readonly linkKeyArn: string; readonly pageUrl: string }): Record<string, string> {
  const { org } = config;
  const sender = org.email?.senderAddress;
  const channels = approvalChannelDirectory(config, naming);
  return {
    APPROVALS_TABLE: naming.approvalsTable,
    LINK_KEY_ID: refs.linkKeyArn,
    APPROVALS_TOPIC_ARN: naming.approvalsTopicArn,
    APPROVAL_API_URL: refs.pageUrl,
    OWNER_TAG_KEY: org.ownerTagKey,
    LINK_VALIDITY_SECONDS: String(org.approval.linkValidityHours * 3600),
    RECORD_RETENTION_DAYS: String(org.approval.recordRetentionDays),
    // owners are mailed only at addresses in these domains (functions/shared/owner-mailbox.ts)
    ...(sender ? { SENDER_ADDRESS: sender, OWNER_EMAIL_DOMAINS: ownerEmailDomains(config).join(",") } : {}),
    ...(channels ? { APPROVAL_CHANNELS: JSON.stringify(channels) } : {}),
  };
}
