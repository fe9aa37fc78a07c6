import { nextRuns, type WindowSchedule } from "../../../contracts/maintenance-schedule.js";
import { waveOfDescription } from "../../../contracts/wave-schedule.js";
import { formatLocal, formatUtc } from "../../lib/run-times.js";
import { overlapsBusinessHours } from "../business-hours.js";
import { beforeAfter, finding, sameValue, show, type Finding, type Interpreter } from "../findings.js";
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

function scheduleOf(values: Record<string, unknown>): WindowSchedule {
  return {
    schedule: String(values.schedule),
    timeZone: typeof values.schedule_timezone === "string" ? values.schedule_timezone : "UTC",
    ...(typeof values.schedule_offset === "number" ? { scheduleOffsetDays: values.schedule_offset } : {}),
    ...(typeof values.start_date === "string" ? { startDate: values.start_date } : {}),
    ...(typeof values.end_date === "string" ? { endDate: values.end_date } : {}),
  };
}

type Runs = { readonly runs: readonly Date[]; readonly zone: string } | { readonly none: string };

/** The next runs of a window's values in a plan (a disabled window has none). */
function runsOf(values: Record<string, unknown>, now: Date): Runs {
  if (values.enabled === false) return { none: "none (disabled)" };
  try {
    return { runs: nextRuns(scheduleOf(values), now, RUNS), zone: String(values.schedule_timezone ?? "UTC") };
  } catch (error) {
    return { none: `cannot evaluate ${show(values.schedule)}: ${(error as Error).message}` };
  }
}

/** Run times in the window's zone; with `utc`, also in UTC (when the zone changes, the local times alone hide the move). */
function listed(runs: Runs, utc = false): string {
  if ("none" in runs) return runs.none;
  if (runs.runs.length === 0) return "none (the window's end date has passed)";
  return runs.runs.map((r) => (utc ? `${formatLocal(r, runs.zone)} (${formatUtc(r)})` : formatLocal(r, runs.zone))).join("; ");
}

/**
 * Maintenance windows: schedule, time zone, duration, cutoff, offset, dates, enabled, with the next
 * runs before and after. A window that now overlaps business hours in its time zone, and did not
 * before, is a risk; so is a window switched off. New windows (e.g. of a new account) are listed
 * with their runs but not flagged. An account moved to another canary wave shows as its windows'
 * schedule change, with the waves named (from the description the stacks write).
 */
export const windows: Interpreter = (plans, context) => {
  const findings: Finding[] = [];
  const inBusinessHours = (runs: Runs, values: Record<string, unknown>) =>
    "runs" in runs && runs.runs.some((r) => overlapsBusinessHours(r, Number(values.duration ?? 1), runs.zone, context.businessHours));
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_maintenance_window") continue;
      const kind = changeKind(change);
      if (kind !== "update" && kind !== "replace" && kind !== "create") continue;
      const { before, after } = beforeAfter(change);
      const subject = `window ${show(after.name)}`;
      const runsAfter = runsOf(after, context.now);

      const waveAfter = waveOfDescription(after.description);
      if (kind === "create") {
        const what = `new window ${show(after.schedule)} in ${show(after.schedule_timezone ?? "UTC")}, ${show(after.duration)} h${waveAfter ? `, wave ${waveAfter}` : ""}`;
        findings.push(finding(plan, change, "change", subject, `${what}; next runs: ${listed(runsAfter)}`));
        continue;
      }
      const changed = fields.filter(([field]) => !sameValue(before[field], after[field]));
      const waveBefore = waveOfDescription(before.description);
      const waveMoved = waveBefore !== waveAfter ? [`wave ${show(waveBefore)} → ${show(waveAfter)}`] : [];
      if (changed.length === 0 && waveMoved.length === 0) continue;
      const description = [...waveMoved, ...changed.map(([field, label]) => `${label} ${show(before[field])} → ${show(after[field])}`)].join(", ");
      const runsBefore = runsOf(before, context.now);
      const zoneChanged = before.schedule_timezone !== after.schedule_timezone;
      findings.push(
        finding(
          plan,
          change,
          "change",
          subject,
          `${description}; next runs before: ${listed(runsBefore, zoneChanged)}; after: ${listed(runsAfter, zoneChanged)}`,
        ),
      );
      if (inBusinessHours(runsAfter, after) && !inBusinessHours(runsBefore, before)) {
        findings.push(
          finding(
            plan,
            change,
            "risk",
            subject,
            `moves into business hours (${context.businessHours.label} ${show(after.schedule_timezone ?? "UTC")}): ${listed(runsAfter)}`,
          ),
        );
      }
      if (before.enabled !== false && after.enabled === false) {
        findings.push(finding(plan, change, "risk", subject, "disabled: it no longer runs, so its patch groups are neither scanned nor patched"));
      }
    }
  }
  return findings;
};
