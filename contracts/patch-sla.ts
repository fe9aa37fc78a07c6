import type { Target } from "./compliance-model.js";

/**
 * The patch SLA (`org.compliance.sla`): days a missing patch may stay missing, per severity, counted
 * from its release date. The collector writes every missing or failed patch of a run to the
 * compliance data bucket (`missing_patches` in Athena); the report and digest show the breaches.
 */

/**
 * Severities as Patch Manager reports them on a patch (DescribeInstancePatches `Severity`): Windows
 * the MSRC severities (Critical, Important, Moderate, Low, Unspecified), Amazon Linux and other RPM
 * distributions Critical, Important, Medium, Low.
 */
export const SLA_SEVERITIES = ["Critical", "Important", "Moderate", "Medium", "Low", "Unspecified"] as const;
export type SlaSeverity = (typeof SLA_SEVERITIES)[number];

/** Days per severity, keyed as the config spells them (SLA_SEVERITIES); a severity left out has no SLA. */
export type PatchSla = Readonly<Record<string, number>>;

/** Where the collector writes missing patches in the compliance data bucket: the `missing_patches` table's location. */
export const MISSING_PATCHES_PREFIX = "missing-patches/";

/** The partition column of `missing_patches`. */
export const MISSING_PATCHES_PARTITION = "run_date";

/**
 * The UTC date a run started, `YYYY-MM-DD`, from its id (`YYYYMMDDTHHMMSSZ-<hash>`, runIdOf): every
 * target of a run lands in one partition, however long the run takes.
 */
export function runDateOf(runId: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})T\d{6}Z-/.exec(runId);
  if (!match) throw new Error(`"${runId}" is not a compliance run id (YYYYMMDDTHHMMSSZ-<hash>)`);
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** The key of a target's missing patches of a run: `missing-patches/run_date=<YYYY-MM-DD>/<runId>/<environment>/<account>/<region>.json`. */
export const missingPatchesKey = (runId: string, target: Pick<Target, "environment" | "accountId" | "region">): string =>
  `${MISSING_PATCHES_PREFIX}${MISSING_PATCHES_PARTITION}=${runDateOf(runId)}/${runId}/${target.environment}/${target.accountId}/${target.region}.json`;

/** A column's Athena type. */
export type MissingPatchColumnType = "string" | "int" | "boolean";

/** Columns of `missing_patches`, in the order each line writes them: one line per (instance, missing or failed patch). */
export const missingPatchColumns = {
  run_id: "string",
  collected_at: "string",
  environment: "string",
  account_id: "string",
  account_name: "string",
  region: "string",
  instance_id: "string",
  instance_name: "string",
  patch_group: "string",
  /** The KB id (Windows) or package (Linux) as DescribeInstancePatches names it. */
  patch_id: "string",
  title: "string",
  classification: "string",
  severity: "string",
  /** `Missing` or `Failed`. */
  state: "string",
  /** Comma-separated. */
  cve_ids: "string",
  /** ISO date (`YYYY-MM-DD`) the patch was released; null when unknown. */
  release_date: "string",
  age_days: "int",
  sla_days: "int",
  breach: "boolean",
} as const satisfies Record<string, MissingPatchColumnType>;

/** One line of `missing_patches`. */
export interface MissingPatchLine {
  readonly run_id: string;
  readonly collected_at: string;
  readonly environment: string;
  readonly account_id: string;
  readonly account_name: string;
  readonly region: string;
  readonly instance_id: string;
  readonly instance_name: string | null;
  readonly patch_group: string | null;
  readonly patch_id: string;
  readonly title: string;
  readonly classification: string;
  readonly severity: string;
  readonly state: "Missing" | "Failed";
  readonly cve_ids: string | null;
  readonly release_date: string | null;
  readonly age_days: number | null;
  readonly sla_days: number | null;
  readonly breach: boolean;
}
