/**
 * What the compliance state machine (stacks/compliance/definition.ts) and its functions agree on.
 */

/** Error names the compliance functions throw and the state machine matches (Lambda reports the name as the error type). */
export const ComplianceErrors = {
  /** A target stayed throttled through the SDK's retries (collector): the state machine retries it. */
  targetThrottled: "TargetThrottled",
  /** The run's input is not a run input (targets). */
  invalidRunInput: "InvalidRunInput",
  /** A step of collecting one target failed (collector). */
  collectionStepFailed: "CollectionStepFailed",
} as const;

/**
 * One of those names. Functions declare their error classes' names with this type (a type-only
 * import: the bundles stay as they were), the state machine uses the values above.
 */
export type ComplianceErrorName = (typeof ComplianceErrors)[keyof typeof ComplianceErrors];

/**
 * Where a run's Distributed Map writes its results (ResultWriter): `<prefix>/<map run id>/manifest.json`
 * and the result files it lists, below the reports bucket's expiring `runs/` prefix.
 */
export const MAP_RESULTS_PREFIX = "runs/map-results";

/**
 * The ResultWriter's manifest, as Step Functions writes it: the result files of the child
 * executions by status (each a JSON array of execution records).
 */
export interface MapRunManifest {
  readonly DestinationBucket: string;
  readonly MapRunArn: string;
  readonly ResultFiles: Readonly<Record<"SUCCEEDED" | "FAILED" | "PENDING", ReadonlyArray<{ readonly Key: string; readonly Size: number }>>>;
}

/** One child execution in a result file: its input and output as JSON strings, its error when it failed. */
export interface MapRunExecution {
  readonly ExecutionArn: string;
  readonly Input: string;
  readonly Output?: string;
  readonly Status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";
  readonly Error?: string;
  readonly Cause?: string;
}
