import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { IncomingWebhook, IncomingWebhookHTTPError, type FetchFunction, type IncomingWebhookSendArguments } from "@slack/webhook";
import { asError } from "../errors.js";
import { splitDocument, type ChannelFormat, type NoticeDocument } from "./document.js";
import { emailFormat } from "./email-format.js";
import { slackFormat } from "./slack-format.js";
import { teamsFormat, type TeamsMessage } from "./teams-format.js";

/** A channel as the fleet catalog lists it: a secret name (Teams, Slack) or a topic ARN (e-mail). */
export interface Channel {
  readonly name: string;
  readonly type: "teams" | "slack" | "email";
  readonly destination: string;
}

/** The channel's secret has no webhook URL yet (the stack creates it empty). */
export class ChannelNotConfigured extends Error {
  override readonly name = "ChannelNotConfigured";
}

/** The channel answered with an error that retries did not cure. */
export class ChannelDeliveryFailed extends Error {
  override readonly name = "ChannelDeliveryFailed";
}

/**
 * Reads a webhook URL from its secret. The URL is the credential (Slack's path, the `sig=` of a
 * Teams Workflows URL): it stays in memory, never in logs, Terraform or environment variables.
 */
export async function webhookUrlFromSecret(secrets: SecretsManagerClient, secretId: string): Promise<string> {
  let value: string | undefined;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString?.trim();
  } catch (thrown) {
    if (asError(thrown).name !== "ResourceNotFoundException") throw thrown;
  }
  if (!value) {
    throw new ChannelNotConfigured(
      `secret ${secretId} holds no webhook URL yet: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string '<webhook URL>'`,
    );
  }
  if (!/^https:\/\/[^\s]+$/.test(value)) throw new ChannelNotConfigured(`secret ${secretId} does not hold an https URL`);
  return value;
}

export interface DeliveryDeps {
  readonly sns: SNSClient;
  /** Resolves a chat channel's secret to its webhook URL (webhookUrlFromSecret in the functions). */
  readonly webhookUrl: (secretId: string) => Promise<string>;
  /** A fetch that retries 429 and 5xx with a timeout per attempt (retryingFetch). */
  readonly fetch: typeof fetch;
}

/** How documents look in Slack and Teams: the notices' formats, or another's (the approval request's, with a button). */
export interface ChatFormats {
  readonly slack: ChannelFormat<IncomingWebhookSendArguments>;
  readonly teams: ChannelFormat<TeamsMessage>;
}

export const noticeFormats: ChatFormats = { slack: slackFormat, teams: teamsFormat };

export interface DeliveryOptions {
  /**
   * At most this many messages per channel: a caller whose timeout allows so many posts (each with
   * its retries) refuses a document that would need more, before sending any. @default no limit
   */
  readonly maxMessages?: number;
}

/** The document needs more messages than the caller allows; nothing was sent to the channel. */
export class TooManyMessages extends Error {
  override readonly name = "TooManyMessages";
}

function within<Payload>(channel: Channel, payloads: Payload[], options: DeliveryOptions): Payload[] {
  if (options.maxMessages !== undefined && payloads.length > options.maxMessages)
    throw new TooManyMessages(`${channel.name}: the document needs ${payloads.length} messages, at most ${options.maxMessages} allowed; nothing sent`);
  return payloads;
}

/** Sends a document to one channel, split into as many messages as the channel's limits need, one after another. */
export async function deliver(
  channel: Channel,
  document: NoticeDocument,
  deps: DeliveryDeps,
  formats: ChatFormats = noticeFormats,
  options: DeliveryOptions = {},
): Promise<{ readonly channel: string; readonly messages: number }> {
  switch (channel.type) {
    case "slack": {
      const payloads = within(channel, splitDocument(document, formats.slack), options);
      // the compiler's DOM lib lacks Headers.entries, which Node's fetch has. No timeout here: the
      // library's one signal would span all of deps.fetch's retries; deps.fetch times each attempt.
      const hook = new IncomingWebhook(await deps.webhookUrl(channel.destination), { fetch: deps.fetch as unknown as FetchFunction, timeout: 0 });
      for (const payload of payloads) {
        try {
          await hook.send(payload);
        } catch (thrown) {
          const detail =
            thrown instanceof IncomingWebhookHTTPError ? `HTTP ${thrown.statusCode}: ${String(thrown.body).slice(0, 300)}` : asError(thrown).message;
          throw new ChannelDeliveryFailed(`Slack channel ${channel.name}: ${detail}`);
        }
      }
      return { channel: channel.name, messages: payloads.length };
    }
    case "teams": {
      const payloads = within(channel, splitDocument(document, formats.teams), options);
      const url = await deps.webhookUrl(channel.destination);
      for (const payload of payloads) {
        const response = await deps.fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(payload),
          redirect: "error",
        });
        if (!response.ok) throw new ChannelDeliveryFailed(`Teams channel ${channel.name}: HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
        await response.body?.cancel();
      }
      return { channel: channel.name, messages: payloads.length };
    }
    case "email": {
      const payloads = within(channel, splitDocument(document, emailFormat), options);
      for (const payload of payloads)
        await deps.sns.send(new PublishCommand({ TopicArn: channel.destination, Subject: payload.subject, Message: payload.body }));
      return { channel: channel.name, messages: payloads.length };
    }
  }
}
