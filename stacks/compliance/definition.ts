import type { Retrier, StateMachineDefinition } from "../core/asl.js";
import { invoke, lambdaRetry } from "../core/lambda-task.js";
import { ComplianceErrors } from "../../contracts/compliance-run.js";

export interface ComplianceFunctions {
  readonly targets: string;
  readonly collector: string;
  readonly report: string;
  readonly digest: string;
}

export interface ComplianceDefinitionProps {
  /** Function ARNs, derived from config (Naming). */
  readonly functions: ComplianceFunctions;
  /** Account-regions collected at once. */
  readonly maxConcurrency: number;
}

/** Seconds each task may take; the functions' own timeouts are shorter. */
export const complianceTaskTimeouts = { targets: 120, collector: 300, report: 300, digest: 300 } as const;

/**
 * A target still throttled after the SDK's retries (TargetThrottled, a collector error) gets three
 * more tries, spread with full jitter so that throttled targets do not come back in lockstep.
 */
const retryThrottledTarget: Retrier = {
  ErrorEquals: [ComplianceErrors.targetThrottled],
  IntervalSeconds: 20,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 120,
  JitterStrategy: "FULL",
};

/**
 * The compliance run: list the targets, collect each (account, region) in a bounded Map (a target
 * that fails is recorded as unreachable and the run goes on), write the report, and send the digest
 * to each channel one at a time, unless there is nothing to tell. Findings never travel through
 * the state: each target's result is an S3 object, and the state keeps its key and counts.
 */
export function complianceDefinition(props: ComplianceDefinitionProps): StateMachineDefinition {
  const { functions } = props;
  return {
    Comment: "patchline compliance run: collect patch compliance of every account and region, report, send the digest",
    TimeoutSeconds: 4 * 3600,
    StartAt: "ListTargets",
    States: {
      ListTargets: invoke(
        functions.targets,
        { "input.$": "$", "executionArn.$": "$$.Execution.Id", "startedAt.$": "$$.Execution.StartTime" },
        { timeoutSeconds: complianceTaskTimeouts.targets, next: "CollectTargets" },
      ),
      CollectTargets: {
        Type: "Map",
        Comment: "One iteration per (account, region); the results replace the targets, so the state holds one entry per target",
        ItemsPath: "$.targets",
        ItemSelector: { "runId.$": "$.runId", "target.$": "$$.Map.Item.Value" },
        MaxConcurrency: props.maxConcurrency,
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Collect",
          States: {
            Collect: invoke(
              functions.collector,
              { "runId.$": "$.runId", "target.$": "$.target" },
              {
                timeoutSeconds: complianceTaskTimeouts.collector,
                retry: [retryThrottledTarget, ...lambdaRetry],
                catches: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "RecordUnreachable" }],
              },
            ),
            RecordUnreachable: {
              Type: "Pass",
              Comment: "The collector gave up on this target (throttled beyond retries, timed out, failed): the report lists it as unreachable",
              Parameters: { status: "unreachable", "target.$": "$.target", "error.$": "$.failure.Error" },
              End: true,
            },
          },
        },
        ResultPath: "$.targets",
        Next: "WriteReport",
      },
      WriteReport: invoke(
        functions.report,
        { "runId.$": "$.runId", "startedAt.$": "$.startedAt", "warnings.$": "$.warnings", "results.$": "$.targets" },
        { timeoutSeconds: complianceTaskTimeouts.report, next: "AnythingToTell" },
      ),
      AnythingToTell: {
        Type: "Choice",
        Choices: [{ Variable: "$.sendDigest", BooleanEquals: true, Next: "SendDigest" }],
        Default: "NothingToTell",
      },
      NothingToTell: {
        Type: "Succeed",
        Comment:
          "Everything compliant, covered and reachable (and no all-clear wanted), or no digest channel configured: the report is written, no digest is sent",
      },
      SendDigest: {
        Type: "Map",
        Comment: "One channel at a time: chat webhooks rate-limit per channel",
        ItemsPath: "$.digestChannels",
        ItemSelector: { "channel.$": "$$.Map.Item.Value", report: { "bucket.$": "$.bucket", "keys.$": "$.keys", "consoleUrl.$": "$.consoleUrl" } },
        MaxConcurrency: 1,
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Deliver",
          States: {
            Deliver: invoke(
              functions.digest,
              { "channel.$": "$.channel", "report.$": "$.report" },
              {
                resultSelector: { "channel.$": "$.channel", "messages.$": "$.messages", delivered: true },
                timeoutSeconds: complianceTaskTimeouts.digest,
                catches: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "RecordUndelivered" }],
              },
            ),
            RecordUndelivered: {
              Type: "Pass",
              Parameters: { "channel.$": "$.channel.name", delivered: false, "error.$": "$.failure.Error", "cause.$": "$.failure.Cause" },
              End: true,
            },
          },
        },
        ResultPath: "$.deliveries",
        Next: "CollectDeliveries",
      },
      CollectDeliveries: {
        Type: "Pass",
        Parameters: { "report.$": "$.keys", "deliveries.$": "$.deliveries", "delivered.$": "$.deliveries[*].delivered" },
        Next: "CheckDeliveries",
      },
      CheckDeliveries: {
        Type: "Pass",
        Parameters: { "report.$": "$.report", "deliveries.$": "$.deliveries", "undelivered.$": "States.ArrayContains($.delivered, false)" },
        Next: "AllDelivered",
      },
      AllDelivered: {
        Type: "Choice",
        Choices: [{ Variable: "$.undelivered", BooleanEquals: true, Next: "DigestNotDelivered" }],
        Default: "Done",
      },
      DigestNotDelivered: {
        Type: "Fail",
        Error: "DigestNotDelivered",
        Cause: "At least one channel did not receive the digest; the deliveries of this execution name it and why",
      },
      Done: { Type: "Succeed" },
    },
  };
}
