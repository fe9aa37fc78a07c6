/**
 * How an approval rule of a patch baseline, as a plan shows it, approves by date: a number of days
 * after release (`approve_after_days`), or everything released on or before a date
 * (`approve_until_date`: a configured date or a promotion record's cut-off).
 */
export type PlannedApproval = { readonly days: number } | { readonly until: string };

export interface PlannedRule {
  readonly approve_after_days?: number | null;
  readonly approve_until_date?: string | null;
  readonly compliance_level?: string | null;
  readonly enable_non_security?: boolean | null;
  readonly patch_filter?: ReadonlyArray<{ key: string; values: readonly string[] }>;
}

/** A baseline's approval rules in plan values (before or after). */
export const rulesOf = (values: Record<string, unknown>): readonly PlannedRule[] => (values.approval_rule as PlannedRule[] | undefined) ?? [];

/**
 * A rule's approval. The state of a refreshed baseline may hold the field a rule does not use as
 * its zero value (0 days, an empty date), so a date wins when there is one: reading that 0 as days
 * would tell of an environment that approves patches the day they are released.
 */
export function approvalOf(rule: PlannedRule | undefined): PlannedApproval | undefined {
  if (typeof rule?.approve_until_date === "string" && rule.approve_until_date !== "") return { until: rule.approve_until_date };
  if (typeof rule?.approve_after_days === "number") return { days: rule.approve_after_days };
  return undefined;
}

/** `7 days after release`, `released on or before 2026-11-12`, for messages. */
export function describeApproval(approval: PlannedApproval | undefined): string {
  if (approval === undefined) return "(none)";
  return "days" in approval ? `${approval.days} days after release` : `released on or before ${approval.until}`;
}

/** The smallest approve-after-days of a baseline's rules, when all of its rules approve by days. */
export function earliestApprovalDays(values: Record<string, unknown>): number | undefined {
  const approvals = rulesOf(values).map(approvalOf);
  const days = approvals.flatMap((a) => (a !== undefined && "days" in a ? [a.days] : []));
  // a baseline that approves until a date has no days to stagger by
  if (days.length === 0 || days.length < approvals.filter((a) => a !== undefined).length) return undefined;
  return Math.min(...days);
}

/** The date every rule of a baseline approves until, when its rules approve by date. */
export function approvedUntil(values: Record<string, unknown>): string | undefined {
  const dates = rulesOf(values).flatMap((rule) => {
    const approval = approvalOf(rule);
    return approval !== undefined && "until" in approval ? [approval.until] : [];
  });
  return dates.sort()[0];
}
