import type { Retrier, StateMachineDefinition, SubDefinition } from "../core/asl.js";
import { invoke, lambdaRetry } from "../core/lambda-task.js";
import { ComplianceErrors, MAP_RESULTS_PREFIX } from "../../contracts/compliance-run.js";

export interface ComplianceFunctions {
  readonly targets: string;
  readonly collector: string;
  readonly report: string;
  readonly digest: string;
}

export interface ComplianceDefinitionProps {
  /** Function ARNs, derived from config (Naming). */
  readonly functions: ComplianceFunctions;
  /** The reports bucket: the run's targets and its children's results live there. */
  readonly bucket: string;
  /** Account-regions collected at once (child executions). */
  readonly maxConcurrency: number;
  /** Percent of child executions that may fail before the run stops. */
  readonly toleratedFailurePercentage: number;
}

/** The state that collects every target: a Distributed Map, one child execution per (account, region). */
export const COLLECT_STATE = "CollectTargets";

/** Seconds each task may take; the functions' own timeouts are shorter. */
export const complianceTaskTimeouts = { targets: 120, collector: 300, report: 960, digest: 300 } as const;

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
 * One child execution of the run: collect one (account, region); a target the collector gives up on
 * (throttled beyond retries, timed out, failed) is recorded as unreachable and the child succeeds,
 * so the report lists it and the run goes on.
 */
export function collectTargetDefinition(collector: string): SubDefinition {
  return {
    StartAt: "Collect",
    States: {
      Collect: invoke(
        collector,
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
  };
}

/**
 * The compliance run: list the targets into S3, collect each (account, region) in a Distributed
 * Map of bounded concurrency (a target that fails is recorded as unreachable and the run goes on;
 * children that fail outright stop the run past the tolerated percentage), write the report from
 * the children's result files, and send the digest to each channel one at a time, unless there is
 * nothing to tell. Neither targets nor findings travel through the state: its size does not grow
 * with the organization.
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
      [COLLECT_STATE]: {
        Type: "Map",
        Comment:
          "One child execution per (account, region), read from the run's targets file; results go to S3 (ResultWriter), so no state holds one entry per target",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { "Bucket.$": "$.bucket", "Key.$": "$.targetsKey" },
        },
        ItemSelector: { "runId.$": "$.runId", "target.$": "$$.Map.Item.Value" },
        MaxConcurrency: props.maxConcurrency,
        ToleratedFailurePercentage: props.toleratedFailurePercentage,
        ItemProcessor: {
          // Standard: a throttled target's retries can outlast Express's 5 minutes
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          ...collectTargetDefinition(functions.collector),
        },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: props.bucket, Prefix: MAP_RESULTS_PREFIX } },
        ResultPath: "$.collected",
        Next: "WriteReport",
      },
      WriteReport: invoke(
        functions.report,
        { "runId.$": "$.runId", "startedAt.$": "$.startedAt", "warnings.$": "$.warnings", "results.$": "$.collected.ResultWriterDetails" },
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
        ItemSelector: {
          "channel.$": "$$.Map.Item.Value",
          // the trend is one small entry per environment: the state stays the same size for 4 or 30,000 account-regions
          report: { "bucket.$": "$.bucket", "keys.$": "$.keys", "consoleUrl.$": "$.consoleUrl", "trend.$": "$.trend" },
        },
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
