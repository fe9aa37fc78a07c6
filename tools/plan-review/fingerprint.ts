import { createHash } from "node:crypto";
import stringify from "json-stable-stringify";

/** The parts of `terraform show -json <planfile>` a fingerprint reads. */
export interface FingerprintedPlan {
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    /** Set for an object of the address that a replacement left behind. */
    readonly deposed?: string;
    readonly mode: string;
    readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown };
  }>;
  readonly resource_drift?: ReadonlyArray<{ readonly address: string }>;
  readonly configuration?: { readonly root_module?: { readonly resources?: unknown; readonly outputs?: unknown } };
}

/**
 * What a plan would do, to compare the plan a deploy is about to apply with the plan a pull request
 * reviewed: each managed resource it changes, with its actions and a hash of its planned values.
 */
export interface PlanFingerprint {
  /** One hash of every change: equal fingerprints, equal plans. */
  readonly fingerprint: string;
  /** Address → `<actions>:<hash of the planned values>`, e.g. `update:3f1c…`. */
  readonly changes: Readonly<Record<string, string>>;
  /**
   * A hash of the stack's resources as configured (not its providers: a pull request plans with
   * the read-only plan role, a deploy with the deploy role). Tells "main moved on" from drift.
   */
  readonly configuration: string;
}

const UNKNOWN = "(known after apply)";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Planned values with the ones known only after apply replaced by one marker: they differ run to run. */
function withUnknowns(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN;
  if (unknown === undefined || unknown === false || unknown === null || typeof unknown !== "object") return value;
  if (Array.isArray(unknown)) {
    const values = Array.isArray(value) ? value : [];
    return unknown.length > values.length ? unknown.map((flag, i) => withUnknowns(values[i], flag)) : values.map((item, i) => withUnknowns(item, unknown[i]));
  }
  const out: Record<string, unknown> = { ...((value ?? {}) as Record<string, unknown>) };
  for (const [key, flag] of Object.entries(unknown)) out[key] = withUnknowns(out[key], flag);
  return out;
}

export function planFingerprint(plan: FingerprintedPlan): PlanFingerprint {
  const changes: Record<string, string> = {};
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (rc.mode !== "managed" || actions.every((a) => a === "no-op" || a === "read")) continue;
    changes[rc.deposed ? `${rc.address} (deposed ${rc.deposed})` : rc.address] =
      `${actions.join("+")}:${sha256(stringify(withUnknowns(rc.change.after ?? null, rc.change.after_unknown)) ?? "null").slice(0, 16)}`;
  }
  const sorted = Object.fromEntries(Object.entries(changes).sort(([a], [b]) => a.localeCompare(b)));
  const root = plan.configuration?.root_module ?? {};
  return {
    fingerprint: sha256(stringify(sorted) ?? ""),
    changes: sorted,
    configuration: sha256(stringify({ resources: root.resources ?? [], outputs: root.outputs ?? {} }) ?? ""),
  };
}

/** Why a planned change differs from the reviewed one. */
export type Difference = "not reviewed" | "no longer planned" | "actions differ" | "planned values differ";

export interface ChangedAddress {
  readonly address: string;
  readonly difference: Difference;
  /** `update → delete+create` when the actions differ. */
  readonly detail?: string;
  /** Changed outside Terraform: the plan's refresh found drift at this address. */
  readonly drifted: boolean;
}

/** The addresses at which `now` differs from `reviewed`, in address order. */
export function changedAddresses(
  reviewed: Pick<PlanFingerprint, "changes">,
  now: Pick<PlanFingerprint, "changes">,
  drifted: ReadonlySet<string>,
): ChangedAddress[] {
  const addresses = [...new Set([...Object.keys(reviewed.changes), ...Object.keys(now.changes)])].sort();
  return addresses.flatMap((address): ChangedAddress[] => {
    const [before, after] = [reviewed.changes[address], now.changes[address]];
    if (before === after) return [];
    const base = { address, drifted: drifted.has(address) };
    if (before === undefined) return [{ ...base, difference: "not reviewed", detail: after!.split(":")[0] }];
    if (after === undefined) return [{ ...base, difference: "no longer planned" }];
    const [actionsBefore, actionsAfter] = [before.split(":")[0], after.split(":")[0]];
    if (actionsBefore !== actionsAfter) return [{ ...base, difference: "actions differ", detail: `${actionsBefore} → ${actionsAfter}` }];
    return [{ ...base, difference: "planned values differ" }];
  });
}

/** The addresses the plan's refresh found changed outside Terraform. */
export const driftedAddresses = (plan: FingerprintedPlan): Set<string> => new Set((plan.resource_drift ?? []).map((d) => d.address));
