import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { IncomingWebhook, IncomingWebhookHTTPError, type FetchFunction } from "@slack/webhook";
import { asError } from "../../../shared/errors.js";
import { splitDocument, type NoticeDocument } from "./document.js";
import { emailFormat } from "./email-format.js";
import { slackFormat } from "./slack-format.js";
import { teamsFormat } from "./teams-format.js";

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

/** Sends a document to one channel, split into as many messages as the channel's limits need, one after another. */
export async function deliver(
  channel: Channel,
  document: NoticeDocument,
  deps: DeliveryDeps,
): Promise<{ readonly channel: string; readonly messages: number }> {
  switch (channel.type) {
    case "slack": {
      const payloads = splitDocument(document, slackFormat);
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
      const payloads = splitDocument(document, teamsFormat);
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
      const payloads = splitDocument(document, emailFormat);
      for (const payload of payloads)
        await deps.sns.send(new PublishCommand({ TopicArn: channel.destination, Subject: payload.subject, Message: payload.body }));
      return { channel: channel.name, messages: payloads.length };
    }
  }
}
