import { describeInterval, freezesInCalendar, type Freeze } from "../../../contracts/change-freeze.js";
import { beforeAfter, finding, type Finding, type Interpreter } from "../findings.js";
import { changeKind, type ResourceChange, type StackPlan } from "../plan-json.js";

const isCalendar = (change: ResourceChange) =>
  change.type === "aws_ssm_document" && (change.change.before?.document_type === "ChangeCalendar" || change.change.after?.document_type === "ChangeCalendar");

const freezesOf = (values: Record<string, unknown>): Freeze[] => (typeof values.content === "string" ? freezesInCalendar(values.content) : []);
const ms = (value: string) => Date.parse(value);
const label = (f: Freeze) => `${JSON.stringify(f.reason)} (${f.scope})`;

/** The freezes of a calendar before and after, paired: the same scope and reason, and overlapping in time (or the only one of that reason). */
function pair(before: readonly Freeze[], after: readonly Freeze[]) {
  const unmatched = [...after];
  const pairs: { before: Freeze; after?: Freeze }[] = [];
  for (const b of before) {
    const same = unmatched.filter((a) => a.scope === b.scope && a.reason === b.reason);
    const match = same.find((a) => ms(a.start) < ms(b.end) && ms(b.start) < ms(a.end)) ?? (same.length === 1 ? same[0] : undefined);
    if (match) unmatched.splice(unmatched.indexOf(match), 1);
    pairs.push({ before: b, ...(match ? { after: match } : {}) });
  }
  return { pairs, added: unmatched };
}

/** What changed about one freeze; risk when patching may now happen where it was frozen. */
function compare(b: Freeze, a: Freeze): { message: string; risk: boolean } | undefined {
  if (b.start === a.start && b.end === a.end) return undefined;
  const shortened = ms(a.start) > ms(b.start) || ms(a.end) < ms(b.end);
  const lengthened = ms(a.start) < ms(b.start) || ms(a.end) > ms(b.end);
  const how = shortened && !lengthened ? "shortened" : lengthened && !shortened ? "lengthened" : "moved";
  return {
    message: `freeze ${label(a)} ${how}: ${describeInterval(b)} → ${describeInterval(a)}${shortened ? "; patching may now happen in what was frozen" : ""}`,
    risk: shortened,
  };
}

function calendarFindings(plan: StackPlan, change: ResourceChange, now: Date): Finding[] {
  const kind = changeKind(change);
  if (!kind) return [];
  const { before, after } = beforeAfter(change);
  const { pairs, added } = pair(freezesOf(before), kind === "destroy" ? [] : freezesOf(after));
  const out: Finding[] = [];
  const add = (message: string, risk: boolean) => out.push(finding(plan, change, risk ? "risk" : "change", "change freezes", message));
  // a freeze that is over protects nothing any more: removing or shortening it is housekeeping
  const over = (f: Freeze) => ms(f.end) <= now.getTime();
  for (const { before: b, after: a } of pairs) {
    if (!a && over(b)) {
      add(`freeze ${label(b)} removed: ${describeInterval(b)} (it is over)`, false);
      continue;
    }
    if (!a) {
      add(
        `freeze ${label(b)} removed: ${describeInterval(b)}${kind === "destroy" ? " (the change calendar is destroyed: install tasks run the patch document again, approved patching no longer waits)" : ""}; windows may patch in it`,
        true,
      );
      continue;
    }
    const changed = compare(b, a);
    if (changed) add(changed.message, changed.risk && !(over(b) && over(a)));
  }
  for (const a of added) add(`freeze ${label(a)} added: ${describeInterval(a)}; installs and approved patching stop in it`, false);
  return out;
}

/**
 * Change freezes (the Change Calendar document of each member account and region): a freeze
 * added, lengthened, shortened, moved or removed, read from the calendar's iCalendar content
 * before and after. Shortening or removing a freeze lets patches reach instances in what was
 * frozen: a risk in every environment, unless the freeze is over.
 */
export const freezes: Interpreter = (plans, context) =>
  plans.flatMap((plan) => plan.changes.filter(isCalendar).flatMap((change) => calendarFindings(plan, change, context.now)));
