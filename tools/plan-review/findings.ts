import type { PromotionRecord } from "../../contracts/promotion-record.js";
import type { ResourceChange, StackPlan } from "./plan-json.js";

/** Risks are listed first in the review; changes explain the plan in plain words. */
export type Severity = "risk" | "change";

export interface Finding {
  readonly stack: string;
  readonly environment: string;
  readonly severity: Severity;
  /** What changes, e.g. `window prod-monthly` or `baseline patchline-prod-windows`: a kind and a bare name. */
  readonly subject: string;
  readonly message: string;
  /** The resources behind the finding (one per region when every region changes alike). */
  readonly addresses: readonly string[];
}

export interface BusinessHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** Minutes after local midnight: [start, end). */
  readonly startMinute: number;
  readonly endMinute: number;
  /** As the user wrote it, for messages. */
  readonly label: string;
}

export interface ReviewContext {
  /** Environments in promotion order; the last one is production. */
  readonly promotionOrder: readonly string[];
  /**
   * Approve-after-days per environment from the configuration, for environments the plans do not
   * show; environments configured with an approve-until date have none, and where a promotion
   * record's cut-off applies (cutoffApplies: not to Debian and Ubuntu) it replaces them.
   */
  readonly configuredApproveAfterDays: Readonly<Record<string, number>>;
  /** The promotion record each environment's baselines are rendered from (environments/promotions/<env>.json). */
  readonly promotionRecords: Readonly<Record<string, PromotionRecord>>;
  /** Run times are listed after this instant. */
  readonly now: Date;
  readonly businessHours: BusinessHours;
}

/** One concern of the review: reads the plans, says what changes for patching. */
export type Interpreter = (plans: readonly StackPlan[], context: ReviewContext) => Finding[];

/** A finding about one resource change of a stack. */
export function finding(plan: StackPlan, change: ResourceChange, severity: Severity, subject: string, message: string): Finding {
  return { stack: plan.stack, environment: plan.environment, severity, subject, message, addresses: [change.address] };
}

/** Values of a resource before and after the change (empty objects for create and destroy). */
export function beforeAfter(change: ResourceChange): { before: Record<string, unknown>; after: Record<string, unknown> } {
  return { before: change.change.before ?? {}, after: change.change.after ?? {} };
}

export function show(value: unknown): string {
  if (value === null || value === undefined) return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map((v) => show(v)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Entries added to and removed from a list, in the list's order. */
export function listDiff(before: unknown, after: unknown): { added: string[]; removed: string[] } {
  const b = Array.isArray(before) ? before.map(String) : [];
  const a = Array.isArray(after) ? after.map(String) : [];
  return { added: a.filter((x) => !b.includes(x)), removed: b.filter((x) => !a.includes(x)) };
}

/** Equal as plan values (a missing value equals null). */
export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The patchline window a maintenance-window resource (or its install runbook) belongs to, from its pinned construct id. */
export function windowOf(change: ResourceChange): string | undefined {
  return /MaintenanceWindows_(.+?)_(?:Window|ScanTarget|InstallTarget|ScanTask|InstallTask|InstallRunbook)(?:_|$)/.exec(change.name)?.[1];
}

/** `scan targets of window dev-weekly`: names are shown bare in subjects, values bare in messages. */
export function targetSubject(change: ResourceChange, name: unknown): string {
  return `${show(name).replace(/-targets$/, " targets")} of window ${windowOf(change) ?? "?"}`;
}

/** `install task of window prod-monthly` */
export function taskSubject(change: ResourceChange, name: unknown): string {
  return `${show(name)} task of window ${windowOf(change) ?? "?"}`;
}

/** The region prefix of a member-stack resource (`us-east-1_...`), from its construct id. */
export function regionOf(change: ResourceChange): string | undefined {
  return /^([a-z]{2}(?:-[a-z]+)+-\d)_/.exec(change.name)?.[1];
}
