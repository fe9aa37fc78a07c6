import * as z from "zod/mini";

/**
 * A promotion record (`environments/promotions/<to>.json`): which patches an environment installs
 * because they passed the environment before it, and which it holds back and why. `npm run promote`
 * writes it from evidence, a pull request reviews it, synth renders the target's baselines from it.
 */

/** One patch as the evidence of the source environment shows it. */
export const promotedPatchSchema = z.object({
  /** What the baseline lists: Windows the KB id, RPM families `name-version-release.arch`, Debian and Ubuntu the package name. */
  id: z.string(),
  /** The patch's title as DescribeInstancePatches reports it (Linux: `name.arch:epoch:version-release`). */
  title: z.string(),
  /** DescribeInstancePatches' KBId (Windows KB id, Linux `name.arch`): the InstallOverrideList's id. */
  kbId: z.string(),
  classification: z.string(),
  severity: z.string(),
  /** Instances where it is installed (Installed, InstalledPendingReboot). */
  installed: z.number(),
  /** Of those, waiting for a reboot. */
  pendingReboot: z.number(),
  /** Instances where it failed to install. */
  failed: z.number(),
  /** Instances that still miss it. */
  missing: z.number(),
  /** First and last install on any instance (absent when it never installed). */
  firstInstalledAt: z.optional(z.string()),
  lastInstalledAt: z.optional(z.string()),
});
export type PromotedPatch = z.output<typeof promotedPatchSchema>;

export const HOLD_REASONS = ["failed", "too-few-instances", "not-soaked", "rejected-in-source"] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const heldBackPatchSchema = z.extend(promotedPatchSchema, {
  reason: z.enum(HOLD_REASONS),
  /** The reason in words, e.g. "failed on 4 of 212 instances (1.9 %); promotion.maxFailureRate is 1 %". */
  detail: z.string(),
});
export type HeldBackPatch = z.output<typeof heldBackPatchSchema>;

export const promotionRulesSchema = z.object({
  minInstances: z.number(),
  /** Percent, 0-100. */
  maxFailureRatePercent: z.number(),
  soakDays: z.number(),
});
export type PromotionRules = z.output<typeof promotionRulesSchema>;

const perOs = <T extends z.ZodMiniType>(item: T) => z.record(z.string(), z.array(item));

export const promotionRecordSchema = z.object({
  version: z.literal(1),
  from: z.string(),
  to: z.string(),
  /** When `npm run promote` wrote the record (its age is checked at synth). */
  createdAt: z.string(),
  evidence: z.object({
    /** `<environment>/<runId>` of the evidence document. */
    id: z.string(),
    collectedAt: z.string(),
    /** Where it was read: an s3:// URI or a repository-relative file. */
    source: z.string(),
    /** SHA-256 of the document as read, so `promote --check` knows it reads the same one. */
    sha256: z.string(),
    instances: z.number(),
    /** Instances per operating system the target runs (0: the source runs none, and the target's baseline for it is not promoted). */
    instancesByOs: z.record(z.string(), z.number()),
    /** Accounts and regions of the source that could not be read: their instances are missing from the evidence. */
    unreachableTargets: z.array(z.string()),
    /** Install window executions of the source in the evidence, and those that did not succeed. */
    windowExecutions: z.number(),
    windowExecutionsNotSucceeded: z.number(),
    /** Start of the source's latest install window execution in the evidence. */
    latestInstallWindowAt: z.string(),
  }),
  rules: promotionRulesSchema,
  /** Patches released on or before this date are approved by the target's rules (approveUntilDate). */
  cutoffDate: z.string(),
  promoted: perOs(promotedPatchSchema),
  heldBack: perOs(heldBackPatchSchema),
});
export type PromotionRecord = z.output<typeof promotionRecordSchema>;

/** Where a target environment's record lives, relative to the repository root. */
export const promotionRecordPath = (environment: string): string => `environments/promotions/${environment}.json`;
