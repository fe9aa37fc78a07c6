import { escapeHtml } from "../../shared/escape/html.js";
import { runDate } from "../shared/change-text.js";
import type { EnvironmentStanding } from "../../../contracts/compliance-history.js";
import type { ReportTrend, TrendRun } from "./trend.js";

/** Geometry of one environment's trend chart, in SVG user units (= CSS pixels). */
export const trendLayout = {
  width: 360,
  height: 180,
  /** The plot's margins: y labels on the left, the title above, the dates below. */
  left: 48,
  right: 16,
  top: 32,
  bottom: 32,
  pointRadius: 3.5,
} as const;

export const trendColors = { line: "#1565c0", grid: "#e0e0e0", axis: "#9e9e9e" } as const;

/**
 * The y-axis every chart shares, so environments compare at a glance: from the lowest compliance
 * of any point, rounded down to ten (at most 90, so it is never flat), to 100 %; ticks every 5, 10
 * or 20 points by the range.
 */
export function trendScale(trend: Pick<ReportTrend, "runs" | "environments">): { readonly lower: number; readonly ticks: readonly number[] } {
  const percents = trend.runs.flatMap((run) =>
    trend.environments.map((env) => run.environments.get(env)?.compliancePercent).filter((p): p is number => typeof p === "number"),
  );
  const lower = percents.length === 0 ? 0 : Math.min(90, Math.floor(Math.min(...percents) / 10) * 10);
  const range = 100 - lower;
  const step = range <= 20 ? 5 : range <= 50 ? 10 : 20;
  const ticks: number[] = [];
  for (let tick = 100; tick >= lower; tick -= step) ticks.unshift(tick);
  return { lower, ticks };
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Where a run's point is: runs evenly spaced left to right, oldest first; compliance up the shared axis. */
export function trendPoint(index: number, runs: number, percent: number, lower: number): { readonly x: number; readonly y: number } {
  const L = trendLayout;
  const [x0, x1, y0, y1] = [L.left, L.width - L.right, L.top, L.height - L.bottom];
  const x = runs === 1 ? (x0 + x1) / 2 : x0 + (index * (x1 - x0)) / (runs - 1);
  return { x: round(x), y: round(y1 - ((percent - lower) / (100 - lower)) * (y1 - y0)) };
}

const percentText = (s: EnvironmentStanding) =>
  s.compliancePercent === null ? "no managed instances" : `${s.compliancePercent}% compliant of ${s.managed.toLocaleString("en-US")} managed`;

/** Words for a screen reader: where the line starts and ends, its lowest and highest point. */
function description(environment: string, points: readonly { run: TrendRun; percent: number }[], now: string): string {
  if (points.length === 0) return `${environment} had no managed instances in these runs.`;
  const at = (p: { run: TrendRun; percent: number }) => `${p.percent}% on ${runDate(p.run.startedAt, now)}`;
  const first = points[0]!;
  const last = points.at(-1)!;
  if (points.length === 1) return `${environment}: one run with managed instances, ${at(first)}.`;
  const values = points.map((p) => p.percent);
  return `${environment}: from ${at(first)} to ${at(last)}; lowest ${Math.min(...values)}%, highest ${Math.max(...values)}%, over ${points.length} runs.`;
}

/**
 * One environment's compliance over the trend's runs: a line through a point per run in which it
 * had managed instances (runs without it leave a gap the line bridges), each point with its values
 * on hover. Plain SVG written here, like the report's other chart: no scripts, nothing loaded.
 */
export function trendChart(trend: ReportTrend, environment: string, index: number, scale = trendScale(trend)): string {
  const L = trendLayout;
  const now = trend.runs.at(-1)!.startedAt;
  const points = trend.runs.flatMap((run, i) => {
    const standing = run.environments.get(environment);
    const percent = standing?.compliancePercent;
    return typeof percent === "number" ? [{ run, i, standing: standing!, percent, ...trendPoint(i, trend.runs.length, percent, scale.lower) }] : [];
  });
  const id = `trend-${index}`;
  const [x0, x1, y1] = [L.left, L.width - L.right, L.height - L.bottom];
  const latest = trend.runs.at(-1)!.environments.get(environment);
  const parts: string[] = [
    `<title id="${id}-title">${escapeHtml(`${environment}: compliance over the last ${trend.runs.length} runs`)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(description(environment, points, now))}</desc>`,
    `<text x="${L.left}" y="20" font-size="13" font-weight="bold">${escapeHtml(environment)}</text>`,
    `<text x="${x1}" y="20" font-size="13" text-anchor="end">${escapeHtml(latest?.compliancePercent == null ? "–" : `${latest.compliancePercent}%`)}</text>`,
  ];
  for (const tick of scale.ticks) {
    const { y } = trendPoint(0, 2, tick, scale.lower);
    parts.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="${tick === scale.lower ? trendColors.axis : trendColors.grid}"/>`);
    parts.push(`<text x="${x0 - 6}" y="${round(y + 4)}" text-anchor="end" data-tick="${tick}">${tick}%</text>`);
  }
  const first = trend.runs[0]!;
  const last = trend.runs.at(-1)!;
  const dateY = y1 + 20;
  if (trend.runs.length === 1)
    parts.push(`<text x="${round((x0 + x1) / 2)}" y="${dateY}" text-anchor="middle">${escapeHtml(runDate(last.startedAt, now))}</text>`);
  else {
    parts.push(`<text x="${x0}" y="${dateY}" text-anchor="start">${escapeHtml(runDate(first.startedAt, now))}</text>`);
    parts.push(`<text x="${x1}" y="${dateY}" text-anchor="end">${escapeHtml(runDate(last.startedAt, now))}</text>`);
  }
  if (points.length === 0)
    parts.push(`<text x="${round((x0 + x1) / 2)}" y="${round((L.top + y1) / 2)}" text-anchor="middle" fill="#616161">no managed instances</text>`);
  if (points.length > 1)
    parts.push(
      `<polyline points="${points.map((p) => `${p.x},${p.y}`).join(" ")}" fill="none" stroke="${trendColors.line}" stroke-width="2" stroke-linejoin="round"/>`,
    );
  for (const p of points)
    parts.push(
      `<circle data-run="${escapeHtml(p.run.runId)}" data-percent="${p.percent}" cx="${p.x}" cy="${p.y}" r="${L.pointRadius}" fill="${trendColors.line}"><title>${escapeHtml(`${environment}, ${runDate(p.run.startedAt, now)}: ${percentText(p.standing)}`)}</title></circle>`,
    );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" data-environment="${escapeHtml(environment)}" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="sans-serif" font-size="11" fill="#212121">`,
    ...parts,
    "</svg>",
  ].join("\n");
}
