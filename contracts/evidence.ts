import * as z from "zod/mini";
import { describeIssues } from "./zod-issues.js";

/**
 * Evidence of an environment's patching, as the compliance run collects it from every account and
 * region of an environment that another one is promoted from (`promotion.from`). The instance and
 * window parts are the AWS responses as read (DescribeInstanceInformation, DescribeInstancePatchStates,
 * DescribeInstancePatches, DescribeMaintenanceWindowExecutions, …TaskInvocations), with times as
 * ISO 8601 strings; `npm run promote` draws its conclusions from them, so nothing is summed twice.
 */

/** Patch states DescribeInstancePatches reports (Patch compliance state values). */
export const PATCH_STATES = ["Installed", "InstalledOther", "InstalledPendingReboot", "InstalledRejected", "Missing", "NotApplicable", "Failed"] as const;
export type PatchStateValue = (typeof PATCH_STATES)[number];

/** The states evidence keeps: what the baseline approved and where it stands. NotApplicable and InstalledOther say nothing about a baseline's patch. */
export const EVIDENCE_PATCH_STATES: readonly PatchStateValue[] = ["Installed", "InstalledPendingReboot", "InstalledRejected", "Missing", "Failed"];

/** PatchComplianceData, as DescribeInstancePatches returns it (InstalledTime as ISO 8601). */
export const patchComplianceDataSchema = z.object({
  /** Windows: the update's title; Linux: `name.arch:epoch:version-release`. */
  Title: z.string(),
  /** Windows: the KB id (`KB5034441`); Linux: `name.arch`. */
  KBId: z.string(),
  Classification: z.string(),
  Severity: z.string(),
  State: z.enum(PATCH_STATES),
  /** For a patch not installed, AWS reports the epoch (1970-01-01T00:00:00Z). */
  InstalledTime: z.string(),
  InstalledBy: z.optional(z.string()),
  CVEIds: z.optional(z.string()),
});
export type PatchComplianceData = z.output<typeof patchComplianceDataSchema>;

export const evidenceInstanceSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  region: z.string(),
  InstanceId: z.string(),
  /** DescribeInstanceInformation: `Windows` | `Linux` | `MacOS`, the platform's name and version. */
  PlatformType: z.string(),
  PlatformName: z.string(),
  PlatformVersion: z.string(),
  /** DescribeInstancePatchStates: the patch group, baseline and last operation. */
  PatchGroup: z.optional(z.string()),
  BaselineId: z.optional(z.string()),
  Operation: z.optional(z.enum(["Scan", "Install"])),
  OperationEndTime: z.optional(z.string()),
  /** DescribeInstancePatches, states in EVIDENCE_PATCH_STATES only. */
  Patches: z.array(patchComplianceDataSchema),
});
export type EvidenceInstance = z.output<typeof evidenceInstanceSchema>;

/** A Run Command invocation of a window task that did not succeed (DescribeMaintenanceWindowExecutionTaskInvocations). */
export const taskInvocationSchema = z.object({
  InvocationId: z.string(),
  /** The Run Command command id. */
  ExecutionId: z.optional(z.string()),
  Status: z.string(),
  StatusDetails: z.optional(z.string()),
  StartTime: z.optional(z.string()),
  EndTime: z.optional(z.string()),
});

export const windowExecutionSchema = z.object({
  accountId: z.string(),
  region: z.string(),
  /** The window's name in config (DescribeMaintenanceWindows). */
  windowName: z.string(),
  WindowId: z.string(),
  WindowExecutionId: z.string(),
  Status: z.string(),
  StatusDetails: z.optional(z.string()),
  StartTime: z.string(),
  EndTime: z.optional(z.string()),
  tasks: z.array(
    z.object({
      TaskExecutionId: z.string(),
      /** The document the task ran (AWS-RunPatchBaseline, AWS-RunPatchBaselineWithHooks). */
      TaskArn: z.string(),
      /** `Install` or `Scan`, from the task's Operation parameter; absent when the task has none. */
      operation: z.optional(z.string()),
      Status: z.string(),
      StatusDetails: z.optional(z.string()),
      failedInvocations: z.array(taskInvocationSchema),
    }),
  ),
});
export type WindowExecution = z.output<typeof windowExecutionSchema>;

export const evidenceTargetSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  region: z.string(),
  status: z.enum(["ok", "unreachable"]),
  reason: z.optional(z.string()),
  instances: z.number(),
});

export const evidenceDocumentSchema = z.object({
  version: z.literal(1),
  /** `<environment>/<runId>`: what a promotion record names. */
  id: z.string(),
  environment: z.string(),
  runId: z.string(),
  collectedAt: z.string(),
  /** Window executions started at or after this time are included. */
  windowExecutionsSince: z.string(),
  targets: z.array(evidenceTargetSchema),
  instances: z.array(evidenceInstanceSchema),
  windowExecutions: z.array(windowExecutionSchema),
});
export type EvidenceDocument = z.output<typeof evidenceDocumentSchema>;

/** The rolling summary of an environment's evidence: the latest document and the runs before it. */
export const evidenceSummarySchema = z.object({
  version: z.literal(1),
  environment: z.string(),
  /** Newest first; at most EVIDENCE_SUMMARY_RUNS. */
  runs: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      collectedAt: z.string(),
      instances: z.number(),
      unreachableTargets: z.number(),
      installed: z.number(),
      failed: z.number(),
      missing: z.number(),
    }),
  ),
});
export type EvidenceSummary = z.output<typeof evidenceSummarySchema>;
export const EVIDENCE_SUMMARY_RUNS = 90;

/** Where evidence lives in the evidence bucket: one write-once document per run, one summary per environment. */
export const evidenceKeys = {
  run: (environment: string, runId: string): string => `evidence/${environment}/runs/${runId}.json`,
  summary: (environment: string): string => `evidence/${environment}/summary.json`,
};

/** How far back a run looks for window executions: the longest gap between two install runs that evidence should cover. */
export const EVIDENCE_LOOKBACK_DAYS = 35;

export class InvalidEvidence extends Error {
  override readonly name = "InvalidEvidence";
}

export function parseEvidenceDocument(json: unknown, source: string): EvidenceDocument {
  const result = evidenceDocumentSchema.safeParse(json);
  if (!result.success) throw new InvalidEvidence(`${source} is not a patchline evidence document: ${describeIssues(result.error.issues)}`);
  return result.data;
}

export function parseEvidenceSummary(json: unknown, source: string): EvidenceSummary {
  const result = evidenceSummarySchema.safeParse(json);
  if (!result.success) throw new InvalidEvidence(`${source} is not a patchline evidence summary: ${describeIssues(result.error.issues)}`);
  return result.data;
}

/**
 * The patchline operating system of an instance, from DescribeInstanceInformation's platform name
 * and version; undefined for a platform patchline builds no baseline for.
 */
export function operatingSystemOf(platformName: string, platformVersion: string): string | undefined {
  const name = platformName.toLowerCase();
  if (name.startsWith("microsoft windows")) return "WINDOWS";
  if (name.startsWith("amazon linux")) {
    if (platformVersion.startsWith("2023")) return "AMAZON_LINUX_2023";
    if (platformVersion === "2" || platformVersion.startsWith("2.")) return "AMAZON_LINUX_2";
    return undefined;
  }
  if (name.startsWith("red hat enterprise linux")) return "REDHAT_ENTERPRISE_LINUX";
  if (name.startsWith("rocky linux")) return "ROCKY_LINUX";
  if (name.startsWith("almalinux")) return "ALMA_LINUX";
  if (name.startsWith("oracle linux")) return "ORACLE_LINUX";
  if (name.startsWith("ubuntu")) return "UBUNTU";
  if (name.startsWith("debian")) return "DEBIAN";
  return undefined;
}

/** What the collector found for the evidence of one target; the report step joins the parts of an environment. */
export const evidencePartSchema = z.object({
  target: evidenceTargetSchema,
  instances: z.array(evidenceInstanceSchema),
  windowExecutions: z.array(windowExecutionSchema),
  /** When the collector read the target: the document's `collectedAt` is the latest of its parts'. */
  collectedAt: z.string(),
  /** The collector's `collectedAt` less EVIDENCE_LOOKBACK_DAYS: window executions started since are in the part. */
  windowExecutionsSince: z.string(),
});
export type EvidencePart = z.output<typeof evidencePartSchema>;

export function parseEvidencePart(json: unknown, source: string): EvidencePart {
  const result = evidencePartSchema.safeParse(json);
  if (!result.success) throw new InvalidEvidence(`${source} is not a patchline evidence part: ${describeIssues(result.error.issues)}`);
  return result.data;
}

/** Where a run keeps one target's evidence part (under the reports bucket's expiring `runs/` prefix). */
export const evidencePartKey = (runId: string, target: { readonly environment: string; readonly accountId: string; readonly region: string }): string =>
  `runs/${runId}/evidence/${target.environment}/${target.accountId}/${target.region}.json`;
