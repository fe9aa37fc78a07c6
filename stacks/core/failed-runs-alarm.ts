import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";

export interface FailedRunsAlarmProps {
  readonly alarmName: string;
  readonly alarmDescription: string;
  readonly stateMachineArn: string;
  /** The platform team's topic. */
  readonly topicArn: string;
  readonly provider: AwsProvider;
}

/** Step Functions' metrics of executions that did not succeed: failed, timed out or aborted. */
const FAILED_EXECUTION_METRICS = ["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"] as const;

/** An alarm on the topic when any execution of a state machine fails, times out or is aborted within 5 minutes. */
export function failedRunsAlarm(scope: Construct, id: string, props: FailedRunsAlarmProps): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    provider: props.provider,
    alarmName: props.alarmName,
    alarmDescription: props.alarmDescription,
    metricQuery: [
      ...FAILED_EXECUTION_METRICS.map((metric, i) => ({
        id: `m${i}`,
        metric: { namespace: "AWS/States", metricName: metric, dimensions: { StateMachineArn: props.stateMachineArn }, period: 300, stat: "Sum" },
      })),
      { id: "failed", expression: "m0 + m1 + m2", label: "failed runs", returnData: true },
    ],
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmActions: [props.topicArn],
  });
}
