import type { SlaSummary } from "../../../contracts/compliance-model.js";

/**
 * The patch SLA in words, for the report and the digest alike: the policy the run checked, and
 * where an instance stands against it.
 */

const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

/** The configured SLA, e.g. `Critical 14 days, Important 30 days`. */
export const slaPolicyText = (sla: Readonly<Record<string, number>>): string =>
  Object.entries(sla)
    .map(([severity, n]) => `${severity} ${days(n)}`)
    .join(", ");

/** True when an instance has a patch past its SLA. */
export const inBreach = (sla: SlaSummary | undefined): boolean => (sla?.breaches ?? 0) > 0;

/**
 * Where an instance stands, e.g. `2 patches past SLA, worst KB5034441 (Critical) 45 days old, SLA 14 ·
 * 3 of unknown age`; `within SLA, oldest 9 days` when nothing is past it.
 */
export function instanceSlaText(sla: SlaSummary): string {
  const parts: string[] = [];
  if (sla.worst) {
    const w = sla.worst;
    parts.push(
      `${sla.breaches} patch${sla.breaches === 1 ? "" : "es"} past SLA, worst ${w.patchId} (${w.severity || "no severity"}) ${days(w.ageDays)} old, SLA ${days(w.slaDays)}`,
    );
  } else parts.push(sla.oldestMissingDays === undefined ? "within SLA" : `within SLA, oldest ${days(sla.oldestMissingDays)}`);
  if (sla.unknownAge > 0) parts.push(`${sla.unknownAge} of unknown age`);
  return parts.join(" · ");
}
