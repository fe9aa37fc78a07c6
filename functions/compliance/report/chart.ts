import type { TargetCounts } from "../../../contracts/compliance-model.js";
import { escapeHtml } from "../../shared/escape/html.js";
import type { EnvironmentLine } from "../../../contracts/compliance-model.js";

/** Geometry of the chart, in SVG user units. */
export const chartLayout = {
  minWidth: 980,
  charWidth: 8,
  labelWidth: 330,
  barX: 340,
  barWidth: 420,
  valueX: 772,
  rowHeight: 26,
  barHeight: 16,
  headerHeight: 32,
} as const;

export const chartColors = { compliant: "#2e7d32", nonCompliant: "#c62828", unreachable: "#9e9e9e", empty: "#e0e0e0" } as const;

/**
 * Percent compliant of the managed instances, rounded down so 99.6 % never shows as 100 %. Whole
 * numbers multiplied first: (29 / 100) * 100 is 28.999… in floating point, 2900 / 100 is 29.
 */
export function percentCompliant(counts: Pick<TargetCounts, "managed" | "compliant">): number | undefined {
  return counts.managed === 0 ? undefined : Math.floor((counts.compliant * 100) / counts.managed);
}

interface Row {
  readonly kind: "environment" | "account";
  readonly environment: string;
  readonly label: string;
  readonly account?: string;
  readonly counts: TargetCounts;
  readonly unreachableRegions: number;
  readonly regions: number;
}

function rowsOf(environments: readonly EnvironmentLine[]): Row[] {
  return environments.flatMap((env) => {
    const regions = env.accounts.flatMap((a) => a.regions);
    return [
      {
        kind: "environment" as const,
        environment: env.name,
        label: env.name,
        counts: env.counts,
        regions: regions.length,
        unreachableRegions: regions.filter((r) => r.status === "unreachable").length,
      },
      ...env.accounts.map((account) => ({
        kind: "account" as const,
        environment: env.name,
        account: account.accountId,
        label: `${account.accountName} (${account.accountId})`,
        counts: account.counts,
        regions: account.regions.length,
        unreachableRegions: account.regions.filter((r) => r.status === "unreachable").length,
      })),
    ];
  });
}

function valueText(row: Row): string {
  if (row.unreachableRegions === row.regions) return "unreachable";
  const pct = percentCompliant(row.counts);
  const base = pct === undefined ? "no managed instances" : `${pct}% compliant (${row.counts.compliant} of ${row.counts.managed})`;
  return row.unreachableRegions > 0 ? `${base}, ${row.unreachableRegions} of ${row.regions} regions unreachable` : base;
}

/**
 * A horizontal bar per environment and per account: the green part is the share of managed
 * instances that are compliant, the red part the rest. An account no region of which could be read
 * is a grey bar. Plain SVG written here: the report loads no scripts and nothing from the network.
 */
export function complianceChart(environments: readonly EnvironmentLine[]): string {
  const L = chartLayout;
  const rows = rowsOf(environments);
  let y = 8;
  const parts: string[] = [];
  for (const row of rows) {
    const height = row.kind === "environment" ? L.headerHeight : L.rowHeight;
    const barY = y + (height - L.barHeight) / 2;
    const textY = y + height / 2 + 5;
    const data = `data-environment="${escapeHtml(row.environment)}"${row.account ? ` data-account="${row.account}"` : ""} data-row="${row.kind}"`;
    const weight = row.kind === "environment" ? ` font-weight="bold"` : "";
    parts.push(`<text x="${row.kind === "environment" ? 4 : 20}" y="${textY}"${weight}>${escapeHtml(row.label)}</text>`);
    if (row.unreachableRegions === row.regions) {
      parts.push(
        `<rect ${data} data-kind="unreachable" x="${L.barX}" y="${barY}" width="${L.barWidth}" height="${L.barHeight}" fill="${chartColors.unreachable}"/>`,
      );
    } else if (row.counts.managed === 0) {
      parts.push(`<rect ${data} data-kind="empty" x="${L.barX}" y="${barY}" width="${L.barWidth}" height="${L.barHeight}" fill="${chartColors.empty}"/>`);
    } else {
      const compliantWidth = Math.round((L.barWidth * row.counts.compliant) / row.counts.managed);
      parts.push(
        `<rect ${data} data-kind="compliant" x="${L.barX}" y="${barY}" width="${compliantWidth}" height="${L.barHeight}" fill="${chartColors.compliant}"/>`,
      );
      parts.push(
        `<rect ${data} data-kind="non-compliant" x="${L.barX + compliantWidth}" y="${barY}" width="${L.barWidth - compliantWidth}" height="${L.barHeight}" fill="${chartColors.nonCompliant}"/>`,
      );
    }
    parts.push(`<text x="${L.valueX}" y="${textY}"${weight}>${escapeHtml(valueText(row))}</text>`);
    y += height;
  }
  const height = y + 8;
  // wide enough for the longest value label (a generous average glyph width of the 13 px font)
  const width = Math.max(L.minWidth, L.valueX + Math.max(0, ...rows.map((r) => valueText(r).length)) * L.charWidth + 8);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Patch compliance per environment and account" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    ...parts,
    "</svg>",
  ].join("\n");
}
