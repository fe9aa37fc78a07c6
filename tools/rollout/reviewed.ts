import { readFileSync } from "node:fs";
import {
  changedAddresses,
  driftedAddresses,
  planFingerprint,
  type ChangedAddress,
  type FingerprintedPlan,
  type PlanFingerprint,
} from "../plan-review/fingerprint.js";

/** What a pull request's review (`plan-review --json`) says a deploy may apply. */
export interface ReviewedPlans {
  readonly fingerprints: Readonly<Record<string, PlanFingerprint>>;
  /** Stacks the review found unchanged: their plan must have no changes. */
  readonly unchangedStacks: readonly string[];
}

export class ReviewedFileError extends Error {
  override readonly name = "ReviewedFileError";
}

const isFingerprint = (v: unknown): v is PlanFingerprint => {
  const f = v as Partial<PlanFingerprint> | null;
  return (
    typeof f?.fingerprint === "string" &&
    typeof f.configuration === "string" &&
    typeof f.changes === "object" &&
    f.changes !== null &&
    Object.values(f.changes).every((c) => typeof c === "string")
  );
};

export function readReviewed(file: string): ReviewedPlans {
  let json: { fingerprints?: unknown; unchangedStacks?: unknown };
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as typeof json;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new ReviewedFileError(`--reviewed: ${file}: no such file`);
    throw new ReviewedFileError(`--reviewed: ${file}: not JSON (${(error as Error).message})`);
  }
  const fingerprints = json.fingerprints;
  const ok =
    typeof fingerprints === "object" &&
    fingerprints !== null &&
    Object.values(fingerprints).every(isFingerprint) &&
    Array.isArray(json.unchangedStacks) &&
    json.unchangedStacks.every((s) => typeof s === "string");
  if (!ok)
    throw new ReviewedFileError(
      `--reviewed: ${file}: not a plan review with fingerprints; give the --json file of npm run plan-review (the plan-review artifact of the pull request)`,
    );
  return json as ReviewedPlans;
}

/** What a stack's plan at deploy time is, measured against the review. */
export type Verdict =
  | { readonly kind: "as reviewed" }
  | { readonly kind: "not reviewed" }
  | { readonly kind: "differs"; readonly addresses: readonly (ChangedAddress & { readonly why: string })[] };

/** An unchanged stack's expected plan: no changes, its configuration not known to the review. */
const { configuration: _unknown, ...NO_CHANGES } = planFingerprint({});

/**
 * Compares a stack's plan now (`terraform show -json`, or undefined for a plan without changes)
 * with what the review saw. Each differing address says why, as far as the plans tell: drift the
 * refresh found, a configuration that is not the reviewed one (main moved on), or else a state
 * that is not the reviewed one (a change the refresh cannot see, or another deploy since).
 */
export function verdict(stack: string, reviewed: ReviewedPlans, planNow: FingerprintedPlan | undefined): Verdict {
  const expected = reviewed.fingerprints[stack] ?? (reviewed.unchangedStacks.includes(stack) ? NO_CHANGES : undefined);
  if (!expected) return { kind: "not reviewed" };
  const now = planFingerprint(planNow ?? {});
  if (now.fingerprint === expected.fingerprint) return { kind: "as reviewed" };
  const reviewedConfiguration = "configuration" in expected ? expected.configuration : undefined;
  const otherwise =
    reviewedConfiguration === undefined
      ? "the review found this stack unchanged (an earlier merge not deployed yet, main moved on since the review, or drift the refresh does not show)"
      : planNow !== undefined && now.configuration !== reviewedConfiguration
        ? "the configuration is not the reviewed one (main moved on since the review)"
        : "the state is not the one reviewed (another deploy since, or drift the refresh does not show)";
  const why = (a: ChangedAddress) => (a.drifted ? "changed outside Terraform since the review (drift)" : otherwise);
  return { kind: "differs", addresses: changedAddresses(expected, now, driftedAddresses(planNow ?? {})).map((a) => ({ ...a, why: why(a) })) };
}

/** One line per differing address, for the operator. */
export function describeDifferences(addresses: Extract<Verdict, { kind: "differs" }>["addresses"]): string[] {
  return addresses.map((a) => `  ${a.address}: ${a.difference}${a.detail ? ` (${a.detail})` : ""}: ${a.why}`);
}
