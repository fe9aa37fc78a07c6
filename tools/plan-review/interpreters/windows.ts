import { nextRuns, toWallClock, type WindowSchedule } from "../../../functions/lib/maintenance-schedule.js";
import { beforeAfter, finding, show, type BusinessHours, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";

const fields = [
  ["schedule", "schedule"],
  ["schedule_timezone", "time zone"],
  ["duration", "duration (h)"],
  ["cutoff", "cutoff (h)"],
  ["schedule_offset", "schedule offset (days)"],
  ["start_date", "start date"],
  ["end_date", "end date"],
  ["enabled", "enabled"],
] as const;

const RUNS = 3;
const STEP_MS = 15 * 60 * 1000;

function scheduleOf(values: Record<string, unknown>): WindowSchedule {
  return {
    schedule: String(values.schedule),
    timeZone: typeof values.schedule_timezone === "string" ? values.schedule_timezone : "UTC",
    ...(typeof values.schedule_offset === "number" ? { scheduleOffsetDays: values.schedule_offset } : {}),
    ...(typeof values.start_date === "string" ? { startDate: values.start_date } : {}),
    ...(typeof values.end_date === "string" ? { endDate: values.end_date } : {}),
  };
}

/** `Wed 2026-12-02 21:00 US/Central` */
export function formatLocal(instant: Date, timeZone: string): string {
  const wall = new Date(toWallClock(instant.getTime(), timeZone));
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][wall.getUTCDay()];
  return `${day} ${wall.toISOString().slice(0, 16).replace("T", " ")} ${timeZone}`;
}

/** Whether any quarter hour of a window opening at `start` for `hours` falls into business hours of its zone. */
export function overlapsBusinessHours(start: Date, hours: number, timeZone: string, business: BusinessHours): boolean {
  for (let t = start.getTime(); t < start.getTime() + hours * 3_600_000; t += STEP_MS) {
    const wall = new Date(toWallClock(t, timeZone));
    const isoDay = wall.getUTCDay() === 0 ? 7 : wall.getUTCDay();
    const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
    if (business.days.includes(isoDay) && minute >= business.startMinute && minute < business.endMinute) return true;
  }
  return false;
}

function runs(values: Record<string, unknown>, now: Date): Date[] | string {
  try {
    return nextRuns(scheduleOf(values), now, RUNS);
  } catch (error) {
    return `cannot evaluate ${show(values.schedule)}: ${(error as Error).message}`;
  }
}

/**
 * Maintenance windows: schedule, time zone, duration, cutoff, offset, dates, enabled, with the next
 * runs before and after. A window that now overlaps business hours in its time zone, and did not
 * before, is a risk.
 */
export const windows: Interpreter = (plans, context) => {
  const findings: Finding[] = [];
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_maintenance_window") continue;
      const kind = changeKind(change);
      if (kind !== "update" && kind !== "replace" && kind !== "create") continue;
      const { before, after } = beforeAfter(change);
      const subject = `window ${show(after.name)}`;
      const zoneAfter = String(after.schedule_timezone ?? "UTC");
      const runsAfter = runs(after, context.now);
      const listed = (list: Date[] | string, zone: string) => (typeof list === "string" ? list : list.map((r) => formatLocal(r, zone)).join("; "));
      const inBusinessHours = (list: Date[] | string, values: Record<string, unknown>) =>
        typeof list !== "string" && list.some((r) => overlapsBusinessHours(r, Number(values.duration ?? 1), String(values.schedule_timezone ?? "UTC"), context.businessHours));

      if (kind === "create") {
        findings.push(finding(plan, change, "change", subject, `new window ${show(after.schedule)} in ${zoneAfter}, ${show(after.duration)} h; next runs: ${listed(runsAfter, zoneAfter)}`));
        continue;
      }
      const changed = fields.filter(([field]) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
      if (changed.length === 0) continue;
      const description = changed.map(([field, label]) => `${label} ${show(before[field])} → ${show(after[field])}`).join(", ");
      const runsBefore = runs(before, context.now);
      findings.push(
        finding(plan, change, "change", subject, `${description}; next runs before: ${listed(runsBefore, String(before.schedule_timezone ?? "UTC"))}; after: ${listed(runsAfter, zoneAfter)}`),
      );
      if (after.enabled !== false && inBusinessHours(runsAfter, after) && !inBusinessHours(runsBefore, before)) {
        findings.push(finding(plan, change, "risk", subject, `moves into business hours (${context.businessHours.label} ${zoneAfter}): ${listed(runsAfter, zoneAfter)}`));
      }
    }
  }
  return findings;
};
