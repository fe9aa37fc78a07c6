import type { PromotionRecord } from "../../contracts/promotion-record.js";

type Patch = PromotionRecord["promoted"][string][number] | PromotionRecord["heldBack"][string][number];

/** The fields of two objects whose values differ (as JSON), in the first one's order. */
function differingFields(a: object, b: object): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((key) => JSON.stringify((a as Record<string, unknown>)[key]) !== JSON.stringify((b as Record<string, unknown>)[key]));
}

const show = (value: unknown) => (value === undefined ? "(none)" : JSON.stringify(value));

/**
 * What differs between a record in the repository and the one the same evidence and the current
 * rules give now: everything but when it was written. The install override list and the plan
 * review are made from the record's patches as written (titles, KB ids, counts, reasons), so a
 * field edited by hand is as much a difference as a patch added. Empty when the record is exactly
 * what promote would write.
 */
export function recordDifferences(committed: PromotionRecord, recomputed: PromotionRecord): string[] {
  const differences: string[] = [];
  for (const field of differingFields(committed.evidence, recomputed.evidence)) {
    const [was, is] = [(committed.evidence as Record<string, unknown>)[field], (recomputed.evidence as Record<string, unknown>)[field]];
    differences.push(`evidence.${field}: ${show(was)} in the record, ${show(is)} from the evidence`);
  }
  for (const field of differingFields(committed.rules, recomputed.rules)) {
    differences.push(
      `rules.${field}: ${show((committed.rules as Record<string, unknown>)[field])} in the record, ${show((recomputed.rules as Record<string, unknown>)[field])} configured now`,
    );
  }
  for (const field of ["from", "to", "cutoffDate", "version"] as const) {
    if (committed[field] !== recomputed[field])
      differences.push(`${field}: ${show(committed[field])} in the record, ${show(recomputed[field])} from the evidence`);
  }
  const systems = new Set([
    ...Object.keys(committed.promoted),
    ...Object.keys(recomputed.promoted),
    ...Object.keys(committed.heldBack),
    ...Object.keys(recomputed.heldBack),
  ]);
  for (const os of [...systems].sort()) {
    for (const [list, verb] of [
      ["promoted", "promoted"],
      ["heldBack", "held back"],
    ] as const) {
      const byId = (record: PromotionRecord) => new Map<string, Patch>((record[list][os] ?? []).map((p) => [p.id, p]));
      const [was, is] = [byId(committed), byId(recomputed)];
      for (const id of [...was.keys()].filter((id) => !is.has(id)).sort())
        differences.push(`${os}: ${id} is ${verb} in the record, not by the evidence and rules`);
      for (const id of [...is.keys()].filter((id) => !was.has(id)).sort()) differences.push(`${os}: ${id} would be ${verb}, the record does not list it so`);
      for (const id of [...was.keys()].filter((id) => is.has(id)).sort()) {
        for (const field of differingFields(was.get(id)!, is.get(id)!)) {
          differences.push(
            `${os}: ${id}: ${field} ${show((was.get(id) as Record<string, unknown>)[field])} in the record, ${show((is.get(id) as Record<string, unknown>)[field])} from the evidence`,
          );
        }
      }
    }
  }
  return differences;
}
