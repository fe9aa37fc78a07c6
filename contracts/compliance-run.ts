/**
 * What the compliance state machine (stacks/compliance/definition.ts), its functions and the
 * synth-time limit checks agree on.
 */

/**
 * The state machine carries one item per target into its Map and one summary per target out of it;
 * at this many targets both stay within the 256 KiB state payload (tested with the longest names).
 * Larger organizations run per environment (`{ "environments": ["prod"] }`) or in several schedules.
 */
export const MAX_TARGETS_PER_RUN = 800 as const;

/** Error names the compliance functions throw and the state machine matches (Lambda reports the name as the error type). */
export const ComplianceErrors = {
  /** A target stayed throttled through the SDK's retries (collector): the state machine retries it. */
  targetThrottled: "TargetThrottled",
  /** The run's input is not a run input (targets). */
  invalidRunInput: "InvalidRunInput",
  /** More targets than a run carries (targets). */
  tooManyTargets: "TooManyTargets",
  /** A step of collecting one target failed (collector). */
  collectionStepFailed: "CollectionStepFailed",
} as const;

/**
 * One of those names. Functions declare their error classes' names with this type (a type-only
 * import: the bundles stay as they were), the state machine uses the values above.
 */
export type ComplianceErrorName = (typeof ComplianceErrors)[keyof typeof ComplianceErrors];
