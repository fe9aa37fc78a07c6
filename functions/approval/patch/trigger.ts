import { TRIGGER_CLASSIFICATIONS, TRIGGER_SEVERITIES, type ApprovalTrigger } from "../../../contracts/approval.js";
import type { MissingCounts } from "../../shared/instance-patches.js";

/** A missing or failed patch as DescribeInstancePatches lists it. */
export interface ListedPatch {
  readonly KBId?: string;
  readonly Severity?: string;
  readonly Classification?: string;
}

/** Whether the instance's missing patches make a request urgent, and why, in one line for the record. */
export interface Urgency {
  readonly urgent: boolean;
  readonly urgency: string;
}

const lower = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));
const knownSeverities = lower(TRIGGER_SEVERITIES);
const knownClassifications = lower(TRIGGER_CLASSIFICATIONS);
const norm = (value: string | undefined) => (value ?? "").trim().toLowerCase();

/** True when patchline cannot judge the patch: neither its severity nor its classification is one a trigger may name (Debian and Ubuntu packages, say). */
export const unjudgeable = (patch: ListedPatch): boolean => !knownSeverities.has(norm(patch.Severity)) && !knownClassifications.has(norm(patch.Classification));

/**
 * A patch asks when its severity is one of the trigger's severities or its classification one of its
 * classifications (letter case ignored). A patch it cannot judge asks too: a trigger must never
 * keep quiet about a patch only because Patch Manager describes it in other words.
 */
export function matchesTrigger(patch: ListedPatch, trigger: ApprovalTrigger): boolean {
  if (unjudgeable(patch)) return true;
  const severity = norm(patch.Severity);
  const classification = norm(patch.Classification);
  return (
    (trigger.severities ?? []).some((s) => s.toLowerCase() === severity) || (trigger.classifications ?? []).some((c) => c.toLowerCase() === classification)
  );
}

/** `severities Critical, Important; classifications SecurityUpdates` */
export function describeTrigger(trigger: ApprovalTrigger): string {
  return [
    trigger.severities?.length ? `severities ${trigger.severities.join(", ")}` : undefined,
    trigger.classifications?.length ? `classifications ${trigger.classifications.join(", ")}` : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join("; ");
}

/** At most this many patch ids are named in the record's sentence. */
const NAMED_PATCHES = 5;

/**
 * Whether the missing or failed `patches` of an instance make its request urgent under `trigger`.
 * `counts` are SSM's own counts (DescribeInstancePatchStates): when they say something is missing
 * or failed but the list holds none of it (the two answers disagree, or the list was read between
 * scans), patchline cannot tell whether it matches, so it asks rather than keep quiet.
 */
export function urgencyOf(patches: readonly ListedPatch[], trigger: ApprovalTrigger, counts: MissingCounts): Urgency {
  const rule = describeTrigger(trigger);
  const counted = counts.missing + counts.failed;
  if (counted === 0 && patches.length === 0) {
    return { urgent: false, urgency: `SSM counts no missing or failed patch of the instance, so none matches the trigger (${rule})` };
  }
  if (patches.length === 0) {
    return {
      urgent: true,
      urgency:
        `SSM counts ${counts.missing} missing and ${counts.failed} failed patches of the instance but lists none of them, ` +
        `so patchline cannot tell whether one matches the trigger (${rule}) and asks`,
    };
  }
  const matching = patches.filter((p) => matchesTrigger(p, trigger));
  if (matching.length === 0) {
    return { urgent: false, urgency: `none of its ${patches.length} missing or failed patches matches the trigger (${rule})` };
  }
  const ids = matching.map((p) => p.KBId || "(no id)");
  const named = ids.slice(0, NAMED_PATCHES).join(", ") + (ids.length > NAMED_PATCHES ? ` and ${ids.length - NAMED_PATCHES} more` : "");
  const unjudged = matching.filter(unjudgeable).length;
  return {
    urgent: true,
    urgency:
      `${matching.length} of its ${patches.length} missing or failed patches match the trigger (${rule}): ${named}` +
      (unjudged > 0 ? `; ${unjudged} of them with a severity and classification patchline cannot judge` : ""),
  };
}
