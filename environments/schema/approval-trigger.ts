import { z } from "zod";
import { TRIGGER_CLASSIFICATIONS, TRIGGER_SEVERITIES } from "../../contracts/approval.js";
import { show } from "./messages.js";
import { uniqueList } from "./primitives.js";

const allowed = (values: readonly string[]) => values.map((v) => show(v)).join(", ");

const severity = z.enum(TRIGGER_SEVERITIES, {
  error: (i) => `${show(i.input)} is not a patch severity Patch Manager reports; allowed: ${allowed(TRIGGER_SEVERITIES)}`,
});
const classification = z.enum(TRIGGER_CLASSIFICATIONS, {
  error: (i) => `${show(i.input)} is not a patch classification Patch Manager reports; allowed: ${allowed(TRIGGER_CLASSIFICATIONS)}`,
});

/**
 * Which non-compliance asks: only an instance that misses (or failed to install) a patch of one of
 * these severities or classifications gets a request; otherwise the run is recorded "not urgent"
 * and ends. Left out, every non-compliance asks.
 */
export const approvalTriggerSchema = z
  .strictObject({
    /** Patch severities, as Patch Manager reports them (Linux advisories, Microsoft's MSRC ratings), e.g. ["Critical", "Important"]. */
    severities: uniqueList(severity, "severities").min(1).optional(),
    /** Patch classifications, e.g. ["Security", "SecurityUpdates", "CriticalUpdates"]. */
    classifications: uniqueList(classification, "classifications").min(1).optional(),
  })
  .refine((trigger) => trigger.severities !== undefined || trigger.classifications !== undefined, {
    // a misspelt field is reported as that, once
    when: (payload) => payload.issues.length === 0,
    error: "names no severity and no classification: give severities, classifications or both (leave trigger out to ask for every non-compliance)",
  });

export type ApprovalTriggerConfig = z.output<typeof approvalTriggerSchema>;
