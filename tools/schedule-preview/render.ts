import { formatPath } from "../../environments/schema/messages.js";
import { formatUtc } from "../lib/run-times.js";
import type { EnvironmentPreview, WavePreview, WindowPreview } from "./preview.js";
import { describeFreezeMark } from "./freezes.js";
import { formatGap, type PromotionCheck, type ScheduleProblem } from "./promotion.js";

function windowLine(w: WindowPreview): string {
  const offset = w.scheduleOffsetDays === undefined ? "" : ` + ${w.scheduleOffsetDays} day${w.scheduleOffsetDays === 1 ? "" : "s"}`;
  return `  ${w.name}: ${w.schedule}${offset} in ${w.timeZone}, ${w.durationHours} h, cutoff ${w.cutoffHours} h; ${w.tasks.join(" + ")}${w.enabled ? "" : " (disabled: no runs)"}`;
}

/** `wave main (2 accounts), 48 h later: cron(0 21 ? * WED#1 *) + 2 days` */
function waveLine(wave: WavePreview): string {
  const accounts = `${wave.accounts.length} account${wave.accounts.length === 1 ? "" : "s"}`;
  if (wave.delayHours === 0) return `    wave ${wave.name} (${accounts}), at the window's schedule`;
  const offset = wave.scheduleOffsetDays === undefined ? "" : ` + ${wave.scheduleOffsetDays} day${wave.scheduleOffsetDays === 1 ? "" : "s"}`;
  return `    wave ${wave.name} (${accounts}), ${wave.delayHours} h later: ${wave.schedule}${offset}`;
}

const runLine = (run: WindowPreview["runs"][number], indent: string) =>
  `${indent}${run.local} ${run.utcOffset}   ${formatUtc(new Date(run.utc))}${run.freeze ? `   ${describeFreezeMark(run.freeze)}` : ""}`;

/** The preview as text: per environment and window, each run in the window's zone and in UTC. */
export function renderPreview(previews: readonly EnvironmentPreview[], from: Date, count: number): string {
  const out = [
    `Maintenance windows, next ${count} run${count === 1 ? "" : "s"} after ${from.toISOString().replace(/\.000Z$/, "Z")} (local time in the window's zone, then UTC)`,
  ];
  for (const env of previews) {
    const wait =
      env.minDaysAfterPrevious === undefined || env.previous === undefined ? "" : ` (installs at least ${env.minDaysAfterPrevious} days after ${env.previous})`;
    out.push("", `${env.environment}${wait}`);
    for (const w of env.windows) {
      out.push(windowLine(w));
      if (w.waves === undefined) for (const run of w.runs) out.push(runLine(run, "    "));
      // in waves, each wave's runs under it (a disabled window lists its waves with no runs)
      else
        for (const wave of w.waves) {
          out.push(waveLine(wave));
          for (const run of wave.runs) out.push(runLine(run, "      "));
        }
    }
  }
  return out.join("\n");
}

export function renderChecks(checks: readonly PromotionCheck[]): string {
  const out = ["Promotion order in time:"];
  for (const c of checks) {
    const pair = `  ${c.earlier}${c.earlierWave ? ` (last wave ${c.earlierWave})` : ""} → ${c.later}${c.laterWave ? ` (first wave ${c.laterWave})` : ""}:`;
    if (c.minDays === undefined) out.push(`${pair} not checked (set ${c.later}.minDaysAfterPrevious)`);
    else if (c.checkedRuns === 0) out.push(`${pair} no install runs of ${c.later} to check`);
    else {
      const gap = c.shortestGapMs === undefined ? "" : `, shortest gap ${formatGap(c.shortestGapMs)}`;
      out.push(
        `${pair} ${c.problems.length === 0 ? "ok" : `${c.problems.length} problem${c.problems.length === 1 ? "" : "s"}`}, ${c.checkedRuns} install runs checked${gap} (at least ${c.minDays} days)`,
      );
    }
  }
  return out.join("\n");
}

/** Problems in the schema's format: one line each with the path, the value and what is allowed. */
export function renderProblems(problems: readonly ScheduleProblem[]): string {
  return `patchline schedule has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${formatPath(p.path)}: ${p.message}`).join("\n")}`;
}
