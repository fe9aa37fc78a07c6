import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import type { Channel } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";
import { encryptedTopic } from "../core/encrypted-topic.js";

export interface NotificationChannelsProps {
  readonly channels: Readonly<Record<string, Channel>>;
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * What the functions that send through channels may use: the secret ARN pattern of each Teams or
 * Slack channel (secret ARNs end in a random suffix) and the topic ARN of each e-mail channel.
 */
export function channelDestinations(
  channels: Readonly<Record<string, Channel>>,
  naming: Naming,
): { readonly secretArnPatterns: string[]; readonly topicArns: string[] } {
  const entries = Object.entries(channels);
  return {
    secretArnPatterns: entries.filter(([, c]) => c.type !== "email").map(([name]) => naming.channelSecretArnPattern(name)),
    topicArns: entries.filter(([, c]) => c.type === "email").map(([name]) => naming.channelTopicArn(name)),
  };
}

/**
 * Every configured channel: a Teams or Slack channel is a secret (encrypted with the central key)
 * that the stack creates without a value; an operator puts the webhook URL in it once, so the URL
 * never appears in Terraform, its state or environment variables. An e-mail channel is a topic.
 */
export class NotificationChannels extends Construct {
  /** ARNs the functions may read (secret ARNs end in a random suffix). */
  readonly secretArnPatterns: readonly string[];
  readonly topicArns: readonly string[];

  constructor(scope: Construct, id: string, props: NotificationChannelsProps) {
    super(scope, id);
    const { naming, provider } = props;
    for (const [name, channel] of Object.entries(props.channels)) {
      if (channel.type === "email") {
        encryptedTopic(this, name, {
          provider,
          name: naming.channelTopic(name),
          key: props.key,
          displayName: "patchline",
          subscribers: (channel.subscribers ?? []).map((email) => ({ email })),
        });
      } else {
        new SecretsmanagerSecret(this, name, {
          provider,
          name: naming.channelSecret(name),
          description: `patchline: ${channel.type === "teams" ? "Teams Workflows" : "Slack incoming"} webhook URL of channel ${name}; put the URL in with put-secret-value`,
          kmsKeyId: props.key.arn,
          recoveryWindowInDays: 7,
        });
      }
    }
    const destinations = channelDestinations(props.channels, naming);
    this.secretArnPatterns = destinations.secretArnPatterns;
    this.topicArns = destinations.topicArns;
  }
}
