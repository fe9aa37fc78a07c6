import type { EnvironmentChange } from "../../../contracts/compliance-history.js";
import { escapeHtml } from "../../shared/escape/html.js";
import { measureChanges, runDate, signed, type MeasureChange } from "../shared/change-text.js";
import { trendChart, trendScale } from "./trend-chart.js";
import type { ReportTrend } from "./trend.js";

/** The trend section's rules, added to the page's style sheet. */
export const trendStyle = `
.d { font-size: 12px; margin-left: 6px; }
.better { color: #2e7d32; } .worse { color: #c62828; } .same { color: #616161; }
.trends { display: flex; flex-wrap: wrap; gap: 12px 24px; }`;

function measureCell(m: MeasureChange): string {
  const now = m.now === null ? "–" : m.label === "compliant" ? `${m.now}%` : m.now.toLocaleString("en-US");
  const delta = m.delta === undefined ? "" : `<span class="d ${m.direction}">${escapeHtml(signed(m.delta))}</span>`;
  return `<td class="n">${escapeHtml(now)}${delta}</td>`;
}

function changeRow(change: EnvironmentChange, now: string): string {
  const previous = change.previous;
  const compared = previous ? `${escapeHtml(runDate(previous.startedAt, now))} (run ${escapeHtml(previous.runId)})` : "first run: nothing to compare";
  return `<tr><th>${escapeHtml(change.environment)}</th>${measureChanges(change).map(measureCell).join("")}<td>${compared}</td></tr>`;
}

/**
 * Each environment's change since the last run that had it (compliance in percent points, counts
 * up or down, better in green, worse in red, the sign always written) and a chart per environment
 * of its compliance over the last runs, all on one y-axis.
 */
export function trendSection(trend: ReportTrend): string {
  const now = trend.runs.at(-1)!.startedAt;
  const gone = trend.notInThisRun.map((g) => `${escapeHtml(g.environment)} (last run ${escapeHtml(runDate(g.lastRunAt, now))})`);
  const scale = trendScale(trend);
  const runs = trend.runs.length;
  return `<h2>Since the last run</h2>
<table id="changes">
<thead><tr><th>environment</th><th>compliant</th><th>non-compliant</th><th>unreachable</th><th>not covered</th><th>compared with</th></tr></thead>
<tbody>
${trend.changes.map((c) => changeRow(c, now)).join("\n")}
</tbody>
</table>
${gone.length > 0 ? `<p class="note">Not in this run: ${gone.join(", ")}.</p>\n` : ""}<h2>Compliance over the last ${runs} ${runs === 1 ? "run" : "runs"}</h2>
<p class="note">${runs === 1 ? "The history begins with this run." : "One point per run, oldest on the left; hover a point for its values."} Every chart reads from ${scale.lower}% to 100%.</p>
<div class="trends" id="trends">
${trend.environments.map((env, i) => trendChart(trend, env, i, scale)).join("\n")}
</div>`;
}
