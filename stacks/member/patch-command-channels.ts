import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { encryptedTopic } from "../core/encrypted-topic.js";

export interface PatchCommandChannelsProps {
  readonly naming: Naming;
  readonly logRetentionDays: number;
  /** E-mail addresses subscribed to the Run Command status topic. */
  readonly emailSubscribers: readonly string[];
  readonly provider: AwsProvider;
}

/**
 * Where a region's patch commands report besides the central bucket: the CloudWatch log group the
 * SSM agent streams output to, and the SNS topic Run Command publishes status changes to.
 */
export class PatchCommandChannels extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: PatchCommandChannelsProps) {
    super(scope, id);
    const provider = props.provider;
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      provider,
      name: props.naming.runCommandLogGroup,
      retentionInDays: props.logRetentionDays,
    });
    // The AWS managed key keeps the topic encrypted without a key per account and region; only
    // principals of this account (the maintenance-window role) publish to it.
    this.topic = encryptedTopic(this, "Topic", {
      provider,
      name: props.naming.patchCommandsTopic,
      key: "alias/aws/sns",
      subscribers: props.emailSubscribers.map((email) => ({ email })),
      subscriptionsId: "EmailSubscriptions",
    });
  }
}
