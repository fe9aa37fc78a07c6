import * as z from "zod/mini";
import { emergencyTargetSchema } from "./emergency-patch.js";

/**
 * How an emergency run's targets and waves ended: what a child execution of a wave's Distributed
 * Map ends with (stacks/emergency/definition-target.ts), what the run function sums per wave and
 * the messages tell.
 */

/**
 * - completed: every command of the target reached a final status;
 * - timed-out: some still ran at the wave's deadline (they go on; what had not finished counts as failed);
 * - unreachable: the member role could not be assumed;
 * - send-failed: Systems Manager refused a command;
 * - check-failed: the commands could not be followed;
 * - child-failed: its child execution failed outright (what it did is in the execution's history).
 */
export const TARGET_STATUSES = ["completed", "timed-out", "unreachable", "send-failed", "check-failed", "child-failed"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** Instances named per target and per wave, at most: a message names some, the run's output files all. */
export const NAMED_INSTANCES = 10;

const count = z.int().check(z.nonnegative());

export const invocationCountsSchema = z.object({
  /** Instances the commands targeted (Run Command's TargetCount, or the invocations listed when more). */
  targeted: count,
  succeeded: count,
  /** Every targeted instance that did not succeed: failed, timed out, cancelled, undeliverable, not reached, still running at the deadline. */
  failed: count,
  /** Invocations by Run Command status. */
  byStatus: z.record(z.string(), count),
});
export type InvocationCounts = z.output<typeof invocationCountsSchema>;

export const failedInstanceSchema = z.object({ instanceId: z.string(), status: z.string(), window: z.string() });
export type FailedInstance = z.output<typeof failedInstanceSchema>;

export const sentCommandSchema = z.object({ window: z.string(), commandId: z.string() });
export type SentCommand = z.output<typeof sentCommandSchema>;

/** What one child execution ends with. */
export const targetResultSchema = z.object({
  status: z.enum(TARGET_STATUSES),
  target: emergencyTargetSchema,
  commands: z.optional(z.array(sentCommandSchema)),
  invocations: z.optional(invocationCountsSchema),
  failedInstances: z.optional(z.array(failedInstanceSchema)),
  error: z.optional(z.string()),
  cause: z.optional(z.string()),
});
export type TargetResult = z.output<typeof targetResultSchema>;

/** A target the wave did not finish patching, as the messages name it. */
export const unfinishedTargetSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  region: z.string(),
  status: z.string(),
  error: z.optional(z.string()),
});

/** One wave, summed over its targets. */
export const waveSummarySchema = z.object({
  number: z.int().check(z.positive()),
  /** Account-regions of the wave, and those that completed. */
  targets: count,
  completed: count,
  /** The targets that did not complete (the first NAMED_INSTANCES), and how many. */
  unfinished: z.array(unfinishedTargetSchema),
  unfinishedCount: count,
  invocations: z.object({ targeted: count, succeeded: count, failed: count }),
  /** failed / targeted invocations, in percent; 0 when nothing was targeted. */
  failureRatePercent: z.number(),
  /** Some failed instances (the first NAMED_INSTANCES). */
  failedInstances: z.array(z.extend(failedInstanceSchema, { accountId: z.string(), region: z.string() })),
  /** Why the run stops after this wave; absent when it goes on. */
  haltReason: z.optional(z.string()),
});
export type WaveSummary = z.output<typeof waveSummarySchema>;
