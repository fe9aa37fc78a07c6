import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";

export interface EmailSubscriber {
  readonly email: string;
  /** Only messages whose attributes match reach this subscriber. @default - every message */
  readonly filterPolicy?: string;
}

export interface EncryptedTopicProps {
  readonly provider: AwsProvider;
  readonly name: string;
  /** A customer managed key (`{ arn }`), or an AWS managed key alias such as `alias/aws/sns`. */
  readonly key: { readonly arn: string } | `alias/aws/${string}`;
  /** @default - none */
  readonly displayName?: string;
  readonly subscribers: readonly EmailSubscriber[];
  /**
   * Id of the construct, beside the topic, that holds the subscriptions.
   * @default - the subscriptions are children of the topic
   */
  readonly subscriptionsId?: string;
}

/**
 * patchline's one way to make an SNS topic: encrypted, with e-mail subscribers. Built in the
 * caller's scope with the caller's id (no construct of its own), so every topic and subscription
 * keeps the Terraform address it had; a subscription's id is its address, so reordering the list
 * moves nothing.
 */
export function encryptedTopic(scope: Construct, id: string, props: EncryptedTopicProps): SnsTopic {
  const { provider } = props;
  const topic = new SnsTopic(scope, id, {
    provider,
    name: props.name,
    kmsMasterKeyId: typeof props.key === "string" ? props.key : props.key.arn,
    ...(props.displayName ? { displayName: props.displayName } : {}),
  });
  const parent = props.subscriptionsId === undefined ? topic : new Construct(scope, props.subscriptionsId);
  for (const { email, filterPolicy } of props.subscribers) {
    new SnsTopicSubscription(parent, email, {
      provider,
      topicArn: topic.arn,
      protocol: "email",
      endpoint: email,
      ...(filterPolicy === undefined ? {} : { filterPolicyScope: "MessageAttributes", filterPolicy }),
    });
  }
  return topic;
}
