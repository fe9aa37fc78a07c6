import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { policyDocument } from "../core/iam-policy.js";
import { encryptedTopic } from "../core/encrypted-topic.js";

export interface CentralKeyProps {
  readonly naming: Naming;
  readonly accountId: string;
  readonly region: string;
  readonly provider: AwsProvider;
}

/**
 * The central account's customer managed key for patchline data at rest (topics, queues, logs,
 * tables). IAM policies of this account decide who uses it; AWS services that publish to
 * encrypted topics get it only on behalf of this account.
 */
export class CentralKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: CentralKeyProps) {
    super(scope, id);
    const { accountId, region, provider } = props;
    const policy = policyDocument(this, "Policy", provider, [
      {
        sid: "AccountAdministersKeyThroughIam",
        actions: ["kms:*"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${accountId}:root`] }],
      },
      {
        sid: "ServicesEncryptForThisAccount",
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "cloudwatch.amazonaws.com", "states.amazonaws.com"] }],
        conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
      },
      {
        sid: "CloudWatchLogsEncryptsThisAccountsGroups",
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:Describe*"],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
        conditions: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:aws:logs:${region}:${accountId}:log-group:*`] }],
      },
    ]);
    this.key = new KmsKey(this, "Key", {
      provider,
      description: "patchline: central data at rest",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, "Alias", { provider, name: props.naming.centralKeyAlias, targetKeyId: this.key.keyId });
  }
}

export interface NotificationsTopicProps {
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  readonly emailSubscribers: readonly string[];
  readonly provider: AwsProvider;
}

/** The central topic every workflow reports outcomes to; the platform team subscribes to it. */
export class NotificationsTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: NotificationsTopicProps) {
    super(scope, id);
    this.topic = encryptedTopic(this, "Topic", {
      provider: props.provider,
      name: props.naming.notificationsTopic,
      key: props.key,
      subscribers: props.emailSubscribers.map((email) => ({ email })),
      subscriptionsId: "EmailSubscriptions",
    });
  }
}
