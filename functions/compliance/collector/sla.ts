import type { InstanceFinding, SlaSummary, Target } from "../../../contracts/compliance-model.js";
import type { MissingPatchLine, PatchSla } from "../../../contracts/patch-sla.js";
import { DAY_MS } from "../../../contracts/promotion-rules.js";

/**
 * The patch SLA's arithmetic, without calling anything: a missing or failed patch's age from its
 * release date, the SLA of its severity, whether it is in breach, and each instance's summary.
 */

/** A missing or failed patch of an instance, as DescribeInstancePatches lists it. */
export interface ReportedPatch {
  /** KBId: a KB id on Windows, a package (name.arch) on Linux. */
  readonly patchId: string;
  readonly title: string;
  readonly classification: string;
  readonly severity: string;
  readonly state: "Missing" | "Failed";
  readonly cveIds?: string;
}

/** A reported patch aged against the SLA. */
export interface AssessedPatch extends ReportedPatch {
  /** When the patch was released (ISO date), null when no API told. */
  readonly releaseDate: string | null;
  readonly ageDays: number | null;
  readonly slaDays: number | null;
  readonly breach: boolean;
}

/**
 * The SLA of a severity, matched without regard to case (the config spells severities as Patch
 * Manager does; the match does not depend on it); null for a severity the SLA does not name, an
 * empty one included.
 */
export function slaDaysFor(sla: PatchSla, severity: string): number | null {
  const wanted = severity.trim().toLowerCase();
  if (wanted === "") return null;
  for (const [name, days] of Object.entries(sla)) if (name.toLowerCase() === wanted) return days;
  return null;
}

/**
 * Whole days from the release to the collection, rounded down: a patch released 14 days and 23
 * hours ago is 14 days old. Null when the release date is unknown; 0 for a release date after the
 * collection (vendors date releases by their own clock, AWS's catalog may run ahead of ours): such a
 * patch is new, never in breach, never a negative age.
 */
export function ageInDays(released: Date | undefined, now: Date): number | null {
  if (released === undefined || Number.isNaN(released.getTime())) return null;
  return Math.max(0, Math.floor((now.getTime() - released.getTime()) / DAY_MS));
}

/** A patch against the SLA: in breach when its age is known and more than its severity's days (on the deadline day it is not yet). */
export function assess(patch: ReportedPatch, released: Date | undefined, sla: PatchSla, now: Date): AssessedPatch {
  const ageDays = ageInDays(released, now);
  const slaDays = slaDaysFor(sla, patch.severity);
  return {
    ...patch,
    releaseDate: ageDays === null ? null : released!.toISOString().slice(0, 10),
    ageDays,
    slaDays,
    breach: ageDays !== null && slaDays !== null && ageDays > slaDays,
  };
}

/** An instance's standing: breaches, the oldest known age, the unknown ones, the patch most days past its SLA. */
export function summarize(patches: readonly AssessedPatch[]): SlaSummary | undefined {
  if (patches.length === 0) return undefined;
  const known = patches.filter((p) => p.ageDays !== null).map((p) => p.ageDays!);
  const breaches = patches.filter((p) => p.breach);
  // most days past the SLA first; ties by the older patch, then by id, so the choice does not depend on the API's order
  const worst = [...breaches].sort(
    (a, b) => b.ageDays! - b.slaDays! - (a.ageDays! - a.slaDays!) || b.ageDays! - a.ageDays! || a.patchId.localeCompare(b.patchId),
  )[0];
  return {
    breaches: breaches.length,
    ...(known.length > 0 && { oldestMissingDays: Math.max(...known) }),
    unknownAge: patches.length - known.length,
    ...(worst && { worst: { patchId: worst.patchId, title: worst.title, severity: worst.severity, ageDays: worst.ageDays!, slaDays: worst.slaDays! } }),
  };
}

/** One line of `missing_patches` (contracts/patch-sla.ts). */
export function missingPatchLine(
  run: { runId: string; collectedAt: string },
  target: Target,
  finding: InstanceFinding,
  patch: AssessedPatch,
): MissingPatchLine {
  return {
    run_id: run.runId,
    collected_at: run.collectedAt,
    environment: target.environment,
    account_id: target.accountId,
    account_name: target.accountName,
    region: target.region,
    instance_id: finding.instanceId,
    instance_name: finding.name ?? null,
    patch_group: finding.patchGroup ?? null,
    patch_id: patch.patchId,
    title: patch.title,
    classification: patch.classification,
    severity: patch.severity,
    state: patch.state,
    cve_ids: patch.cveIds || null,
    release_date: patch.releaseDate,
    age_days: patch.ageDays,
    sla_days: patch.slaDays,
    breach: patch.breach,
  };
}
