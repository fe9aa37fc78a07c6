import type { Retrier } from "./asl.js";

/**
 * Errors of AWS integrations worth retrying, as Step Functions names them (`Service.ErrorName`, with
 * the `Exception` suffix, as AWS's Step Functions documentation on handling errors in service integrations names them):
 * - Lambda: the service exceptions AWS's best practice lists, plus throttling of invocations, plus
 *   `TransientAwsError`, which patchline functions throw when an AWS API they call is still
 *   throttled or unavailable after the SDK's own retries (functions/shared/errors.ts).
 * - SSM: ThrottlingException is unmodeled for most SSM APIs and surfaces as the generic
 *   `Ssm.SsmException` (as do other unmodeled errors), so that one is retried too, boundedly.
 * - EC2: the EC2 API models no error shapes; "Request limit exceeded" arrives as `Ec2.Ec2Exception`.
 * - DynamoDB (optimized integration): throttling and internal errors.
 * - SNS (SDK integration): Publish models `ThrottledException` (rate exceeded) and
 *   `InternalErrorException` (SNS API Reference, Publish, Errors); unmodeled errors arrive as the
 *   generic `Sns.SnsException`, as for SSM.
 * Add a service here when a state machine starts calling it; never retry in a state by hand.
 */
export const transientErrors = {
  lambda: [
    "Lambda.ClientExecutionTimeoutException",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "TransientAwsError",
  ],
  ssm: ["Ssm.ThrottlingException", "Ssm.InternalServerErrorException", "Ssm.SsmException"],
  ec2: ["Ec2.Ec2Exception"],
  dynamodb: [
    "DynamoDB.ProvisionedThroughputExceededException",
    "DynamoDB.ThrottlingException",
    "DynamoDB.RequestLimitExceeded",
    "DynamoDB.InternalServerErrorException",
  ],
  sns: ["Sns.ThrottledException", "Sns.InternalErrorException", "Sns.SnsException"],
} as const satisfies Record<string, readonly string[]>;

export type RetriedService = keyof typeof transientErrors;

export interface RetryPolicy {
  /** First pause. @default 2 */
  readonly intervalSeconds?: number;
  /** Attempts after the first call. @default 6 */
  readonly maxAttempts?: number;
  /** @default 2 */
  readonly backoffRate?: number;
  /** Cap of one pause. @default 60 */
  readonly maxDelaySeconds?: number;
}

/**
 * Retries the transient errors of a service with exponential backoff and full jitter (so that a
 * fleet-wide fan-out does not retry in lockstep), bounded in attempts and delay.
 */
export function retryTransient(service: RetriedService, policy: RetryPolicy = {}): Retrier {
  return {
    ErrorEquals: [...transientErrors[service]],
    IntervalSeconds: policy.intervalSeconds ?? 2,
    MaxAttempts: policy.maxAttempts ?? 6,
    BackoffRate: policy.backoffRate ?? 2,
    MaxDelaySeconds: policy.maxDelaySeconds ?? 60,
    JitterStrategy: "FULL",
  };
}
