import { z } from "zod";
import { show } from "./messages.js";
import { integerIn, ssmDocumentName } from "./primitives.js";

/** Operating systems patchline builds baselines for (values of the SSM OperatingSystem enum). */
export const operatingSystems = [
  "AMAZON_LINUX_2023",
  "AMAZON_LINUX_2",
  "REDHAT_ENTERPRISE_LINUX",
  "ROCKY_LINUX",
  "ALMA_LINUX",
  "ORACLE_LINUX",
  "UBUNTU",
  "DEBIAN",
  "WINDOWS",
] as const;
export type OperatingSystem = (typeof operatingSystems)[number];
export const operatingSystem = z.enum(operatingSystems);

/** A map keyed by operating system; an unknown key is named with the allowed ones. */
export function perOperatingSystem<T extends z.ZodType>(value: T) {
  return z.partialRecord(operatingSystem, value, {
    // zod's types omit it, but a partial record over an enum reports extra keys as unrecognized_keys
    error: (issue) => {
      const raw = issue as z.core.$ZodRawIssue;
      if (raw.code !== "unrecognized_keys") return undefined;
      return `unknown operating system${raw.keys.length > 1 ? "s" : ""} ${raw.keys.map((k) => show(k)).join(", ")}; allowed: ${operatingSystems.join(", ")}`;
    },
  });
}

export type Platform = "Linux" | "Windows";
export const platformOf = (os: OperatingSystem): Platform => (os === "WINDOWS" ? "Windows" : "Linux");

const rpmClassifications = ["Security", "Bugfix", "Enhancement", "Recommended", "Newpackage"];
const rpmSeverities = ["Critical", "Important", "Medium", "Low", "None"];

/**
 * The approval-rule filter keys each OS accepts and, where AWS publishes a closed list, their values
 * (DescribePatchProperties). `undefined` values mean free-form (product names, sections).
 */
export const approvalFilterKeys: Record<OperatingSystem, Record<string, readonly string[] | undefined>> = {
  AMAZON_LINUX_2023: { PRODUCT: undefined, CLASSIFICATION: rpmClassifications, SEVERITY: rpmSeverities },
  AMAZON_LINUX_2: { PRODUCT: undefined, CLASSIFICATION: rpmClassifications, SEVERITY: rpmSeverities },
  REDHAT_ENTERPRISE_LINUX: { PRODUCT: undefined, CLASSIFICATION: rpmClassifications, SEVERITY: rpmSeverities },
  ROCKY_LINUX: { PRODUCT: undefined, CLASSIFICATION: rpmClassifications, SEVERITY: rpmSeverities },
  ALMA_LINUX: { PRODUCT: undefined, CLASSIFICATION: rpmClassifications, SEVERITY: rpmSeverities },
  ORACLE_LINUX: { PRODUCT: undefined, CLASSIFICATION: rpmClassifications, SEVERITY: rpmSeverities },
  UBUNTU: { PRODUCT: undefined, SECTION: undefined, PRIORITY: ["Required", "Important", "Standard", "Optional", "Extra"] },
  DEBIAN: { PRODUCT: undefined, SECTION: undefined, PRIORITY: ["Required", "Important", "Standard", "Optional", "Extra"] },
  WINDOWS: {
    PRODUCT: undefined,
    PRODUCT_FAMILY: undefined,
    CLASSIFICATION: [
      "CriticalUpdates",
      "DefinitionUpdates",
      "Drivers",
      "FeaturePacks",
      "SecurityUpdates",
      "ServicePacks",
      "Tools",
      "UpdateRollups",
      "Updates",
      "Upgrades",
    ],
    MSRC_SEVERITY: ["Critical", "Important", "Moderate", "Low", "Unspecified"],
    PATCH_SET: ["OS", "APPLICATION"],
  },
};

export const complianceLevels = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"] as const;
export const complianceLevel = z.enum(complianceLevels);

const patchName = z.string().min(1).max(100);

export const approvalRuleSchema = z.strictObject({
  /** Filter key → values, e.g. `{ CLASSIFICATION: ["Security"], SEVERITY: ["Critical", "Important"] }`. */
  filters: z.record(z.string(), z.array(z.string().min(1)).min(1).max(20)),
  /** Compliance severity reported for missing patches approved by this rule. @default "UNSPECIFIED" */
  complianceLevel: complianceLevel.default("UNSPECIFIED"),
  /** Linux only: also approve non-security updates from the repositories. @default false */
  enableNonSecurity: z.boolean().default(false),
});

/**
 * One baseline template per OS, organization-wide. Each environment renders it with its own
 * approve-after-days, which is what staggers the rollout.
 */
export const baselineDefinitionSchema = z.strictObject({
  /** The baseline's description in SSM (each environment's copy names its environment). */
  description: z.string().min(1).max(1024),
  /** Rules that approve patches by their properties, each after the environment's approve-after-days. */
  approvalRules: z.array(approvalRuleSchema).min(1).max(10),
  /** Patches approved in every environment whatever the rules say (KB ids, package names). */
  approvedPatches: z.array(patchName).max(50).default([]),
  /** Compliance severity reported for missing approved patches. @default "UNSPECIFIED" */
  approvedPatchesComplianceLevel: complianceLevel.default("UNSPECIFIED"),
  /** Patches never installed, in every environment. */
  rejectedPatches: z.array(patchName).max(50).default([]),
  /** BLOCK also removes rejected packages pulled in as dependencies. @default "BLOCK" */
  rejectedPatchesAction: z.enum(["ALLOW_AS_DEPENDENCY", "BLOCK"]).default("BLOCK"),
});

/** Commands for one platform of a hook document. */
const hookScriptSchema = z.strictObject({
  /** The commands the hook runs, in order (shell on Linux, PowerShell on Windows). */
  commands: z.array(z.string()).min(1),
  /** @default 600 */
  /** Seconds the commands may take. */
  timeoutSeconds: integerIn(1, 172800, "a timeout in seconds").default(600),
});

/**
 * A lifecycle hook for AWS-RunPatchBaselineWithHooks, rendered as an SSM Command document
 * (schema 2.2) with one step per platform, each guarded by a platformType precondition.
 */
export const hookDocumentSchema = z
  .strictObject({
    /** The document's name in SSM; windows name it in `install.hooks`. */
    name: ssmDocumentName,
    /** What the hook checks or does. */
    description: z.string().min(1).max(1024),
    /** The hook on Linux instances. */
    linux: hookScriptSchema.optional(),
    /** The hook on Windows instances. */
    windows: hookScriptSchema.optional(),
  })
  .superRefine((doc, ctx) => {
    if (!doc.linux && !doc.windows) {
      ctx.addIssue({ code: "custom", message: `hook document ${show(doc.name)} has no commands: give "linux", "windows" or both`, input: doc });
    }
  });

export const hookPlatforms = (doc: { linux?: unknown; windows?: unknown }): Platform[] =>
  [doc.linux ? "Linux" : undefined, doc.windows ? "Windows" : undefined].filter((p): p is Platform => p !== undefined);

export type ApprovalRule = z.output<typeof approvalRuleSchema>;
export type BaselineDefinition = z.output<typeof baselineDefinitionSchema>;
export type HookDocument = z.output<typeof hookDocumentSchema>;
