import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { policyDocument } from "./iam-policy.js";

export interface DeadLetterQueueProps {
  readonly queueName: string;
  readonly accountId: string;
  readonly region: string;
  /** Encrypts the messages (they carry events and schedule inputs). */
  readonly key: { readonly arn: string };
  /** EventBridge rules whose targets may send failed events here (the queue policy names them). @default - none: no queue policy, so no EventBridge rule may send here */
  readonly eventRuleArns?: readonly string[];
  /** What lands here was lost on its way: the alarm says what that means, on this topic. */
  readonly alarm: { readonly topic: { readonly arn: string }; readonly description: string };
  readonly provider: AwsProvider;
}

/**
 * Where EventBridge Scheduler and rule targets (and asynchronous Lambda invocations) put what they
 * could not deliver, kept 14 days, encrypted with the central key. Schedules and functions send
 * through their roles; rules through this policy. An alarm goes off as soon as anything is in it.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const { provider } = props;
    this.arn = `arn:aws:sqs:${props.region}:${props.accountId}:${props.queueName}`;
    this.queue = new SqsQueue(this, "Queue", {
      provider,
      name: props.queueName,
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: 14 * 86_400,
    });
    if (props.eventRuleArns && props.eventRuleArns.length > 0) {
      const policy = policyDocument(this, "PolicyDocument", provider, [
        {
          sid: "EventRulesOfThisAccountDeadLetter",
          actions: ["sqs:SendMessage"],
          resources: [this.arn],
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [...props.eventRuleArns] }],
        },
      ]);
      new SqsQueuePolicy(this, "Policy", { provider, queueUrl: this.queue.url, policy: policy.json });
    }
    new CloudwatchMetricAlarm(this, "Alarm", {
      provider,
      alarmName: `${props.queueName}-not-empty`,
      alarmDescription: `patchline: ${props.alarm.description}`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: props.queueName },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [props.alarm.topic.arn],
    });
  }
}
