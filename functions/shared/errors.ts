import { ApprovalErrors } from "../../contracts/approval.js";

/** Narrows anything thrown to an Error, so handlers can read `name` and `message` safely. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(typeof thrown === "string" ? thrown : JSON.stringify(thrown));
}

/**
 * An AWS API stayed throttled or unavailable after the SDK's own retries. The Lambda runtime
 * reports the error's name as the error type, so the state machine's Retry matches it and tries
 * again later with backoff and jitter.
 */
export class TransientAwsError extends Error {
  override readonly name = ApprovalErrors.transient;
}

const throttlingNames = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "RequestThrottled",
  "RequestThrottledException",
  "LimitExceededException",
  "SlowDown",
]);

interface SdkErrorShape {
  readonly name?: string;
  readonly $retryable?: { readonly throttling?: boolean };
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $fault?: "client" | "server";
}

/** True when AWS said "slow down": the SDK marks it throttling, or the error has a throttling name. */
export function isThrottlingError(thrown: unknown): boolean {
  if (typeof thrown !== "object" || thrown === null) return false;
  const error = thrown as SdkErrorShape;
  return error.$retryable?.throttling === true || (error.name !== undefined && throttlingNames.has(error.name));
}

/** True for errors a later attempt can get past: throttling, 5xx, and faults the SDK marks retryable. */
export function isTransientAwsError(thrown: unknown): boolean {
  if (typeof thrown !== "object" || thrown === null) return false;
  const error = thrown as SdkErrorShape;
  if (error.$retryable !== undefined) return true;
  if (error.name !== undefined && throttlingNames.has(error.name)) return true;
  const status = error.$metadata?.httpStatusCode;
  return error.$fault === "server" || (status !== undefined && status >= 500);
}

/** Rethrows transient AWS errors as TransientAwsError (saying which call), anything else unchanged. */
export function surfaceTransient(thrown: unknown, call: string): never {
  if (isTransientAwsError(thrown)) throw new TransientAwsError(`${call}: ${asError(thrown).message}`);
  throw thrown;
}
