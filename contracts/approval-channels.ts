/**
 * The chat channels approval requests are posted to, as the approval-request function reads them
 * from its `APPROVAL_CHANNELS` environment variable (written at synth by stacks/approval, from
 * `<env>.approval.channels` and `org.channels`). Names only: the webhook URLs stay in the channels'
 * secrets, which the function reads when it posts.
 */

/** A Teams or Slack channel: its type and the Secrets Manager secret that holds its webhook URL. */
export interface ApprovalChatChannel {
  readonly type: "teams" | "slack";
  readonly secretId: string;
}

/**
 * Each channel once (by name), and per environment the names of its channels: a channel several
 * environments share is written once, which keeps the variable within Lambda's 4 KB.
 */
export interface ApprovalChannelDirectory {
  readonly channels: Readonly<Record<string, ApprovalChatChannel>>;
  readonly environments: Readonly<Record<string, readonly string[]>>;
}

/**
 * Messages an approval request or reminder takes in one channel. Its content is bounded (tag values
 * of at most 256 characters, names and numbers from config), and the longest fits one message of
 * either format (functions/approval/request/chat-bounds.test.ts); the request function refuses a
 * document that would need more, since its timeout (stacks/approval/request-environment.ts) allows
 * one post per channel.
 */
export const APPROVAL_CHAT_MESSAGES_PER_CHANNEL = 1;
