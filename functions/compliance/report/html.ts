import type { InstanceFinding, TargetCounts } from "../../../contracts/compliance-model.js";
import { escapeHtml } from "../../shared/escape/html.js";
import { chartColors, complianceChart, percentCompliant } from "./chart.js";
import { notCoveredText } from "../shared/report.js";
import type { ComplianceReport } from "../../../contracts/compliance-model.js";
import { trendSection, trendStyle } from "./trend-html.js";
import { slaCountCell, slaCountHeader, slaInstanceCell, slaInstanceHeader, slaPolicyParagraph, slaStyle } from "./sla-html.js";
import type { ReportTrend } from "./trend.js";

const style = `
body { font-family: sans-serif; margin: 24px; color: #212121; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #bdbdbd; padding: 3px 8px; text-align: left; }
td.n { text-align: right; }
thead th { position: sticky; top: 0; background: #eeeeee; z-index: 1; }
td.t { max-width: 16em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 14px; vertical-align: middle; }
.note { color: #616161; }`;

function countsCells(c: TargetCounts, report: ComplianceReport): string {
  const pct = percentCompliant(c);
  return (
    [pct === undefined ? "–" : `${pct}%`, c.managed, c.nonCompliant, c.pendingReboot, c.failed, c.notCovered]
      .map((v) => `<td class="n">${escapeHtml(v)}</td>`)
      .join("") + slaCountCell(report, c)
  );
}

const countsHeader = "<th>compliant</th><th>managed</th><th>non-compliant</th><th>pending reboot</th><th>failed</th><th>not covered</th>";

function totalsTable(report: ComplianceReport): string {
  const rows = report.environments.flatMap((env) => [
    `<tr><th colspan="3">${escapeHtml(env.name)}</th>${countsCells(env.counts, report)}</tr>`,
    ...env.accounts.flatMap((account) =>
      account.regions.map(
        (r) =>
          `<tr><td>${escapeHtml(account.accountName)}</td><td>${account.accountId}</td><td>${escapeHtml(r.region)}${r.status === "unreachable" ? " (unreachable)" : ""}</td>${countsCells(r.counts, report)}</tr>`,
      ),
    ),
  ]);
  return `<table><tr><th>account</th><th>id</th><th>region</th>${countsHeader}${slaCountHeader(report)}</tr>\n${rows.join("\n")}\n</table>`;
}

/**
 * The instance table's rows at most: thousands of rows do not read, the CSV holds every finding
 * (and the JSON report the worst REPORT_WORST_FINDINGS).
 */
export const HTML_WORST_ROWS = 500;

/** A cell of free text (names, tags): one line, cut with an ellipsis, the whole value on hover. */
const textCell = (value: string | undefined) =>
  value === undefined || value === "" ? "<td></td>" : `<td class="t" title="${escapeHtml(value)}">${escapeHtml(value)}</td>`;
const numberCell = (value: number | undefined) => `<td class="n">${escapeHtml(value)}</td>`;

function instanceRow(f: InstanceFinding, report: ComplianceReport): string {
  const cells = [
    textCell(f.environment),
    textCell(`${f.accountName} (${f.accountId})`),
    textCell(f.region),
    textCell(f.instanceId),
    textCell(f.name),
    textCell(f.owner),
    textCell(f.patchGroup),
    textCell(f.patch?.severity),
    numberCell(f.patch?.criticalMissing),
    numberCell(f.patch?.securityMissing),
    numberCell(f.patch?.missing),
    numberCell(f.patch?.failed),
    numberCell(f.patch?.pendingReboot),
    textCell(notCoveredText(f)),
    slaInstanceCell(report, f),
  ];
  return `<tr>${cells.join("")}</tr>`;
}

/** A link to a data file: its console page where the run knows it, else its s3:// path as text. */
const dataLink = (path: string, url: string | undefined) => (url ? `<a href="${escapeHtml(url)}">${escapeHtml(path)}</a>` : escapeHtml(path));

/** Owner tags owner mail does not reach (tag values: escaped like every text of the page). */
function invalidOwnersList(report: ComplianceReport): string {
  const invalid = report.invalidOwners;
  if (!invalid || invalid.total === 0) return "";
  const items = invalid.instances.map(
    (o) =>
      `<li>${escapeHtml(o.instanceId)} ${escapeHtml(o.environment)} ${escapeHtml(o.accountName)} (${escapeHtml(o.accountId)}) ${escapeHtml(o.region)}: owner “${escapeHtml(o.owner)}”, ${escapeHtml(o.reason)}</li>`,
  );
  const more = invalid.total - invalid.instances.length;
  return `<h2>Invalid owners (owner tag not mailed)</h2>\n<ul>\n${items.join("\n")}\n</ul>${more > 0 ? `\n<p class="note">and ${more} more.</p>` : ""}`;
}

/** The run as a self-contained page: chart, change since the last run and trend, totals, unreachable targets, warnings, worst instances. */
export function reportHtml(
  report: ComplianceReport,
  links: { csv: string; json: string; csvUrl?: string; jsonUrl?: string },
  /** The earlier runs of the history; without it, the page has no trend section. */
  trend?: ReportTrend,
): string {
  // the page shows the worst HTML_WORST_ROWS; the CSV has every finding
  const shown = report.findings.slice(0, HTML_WORST_ROWS);
  const more = report.findingsTotal - shown.length;
  const csv = dataLink(links.csv, links.csvUrl);
  const c = report.counts;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Patch compliance ${escapeHtml(report.runId)}</title>
<style>${style}${trendStyle}${report.sla ? slaStyle : ""}</style>
</head>
<body>
<h1>Patch compliance, ${escapeHtml(report.startedAt)}</h1>
<p>Run ${escapeHtml(report.runId)}: ${report.targets} account-regions, ${c.managed} managed instances, ${c.nonCompliant} non-compliant, ${c.pendingReboot} pending reboot, ${c.failed} with failed patches, ${c.notCovered} not covered by patching, ${report.unreachable.length} account-regions unreachable.</p>
${slaPolicyParagraph(report)}
<h2>Compliance per environment and account</h2>
<p class="legend"><span style="background:${chartColors.compliant}"></span>compliant<span style="background:${chartColors.nonCompliant}"></span>non-compliant<span style="background:${chartColors.unreachable}"></span>unreachable</p>
${complianceChart(report.environments)}
${trend ? trendSection(trend) : ""}
<h2>Totals</h2>
${totalsTable(report)}
${
  report.unreachable.length > 0
    ? `<h2>Unreachable</h2>\n<ul>\n${report.unreachable.map((u) => `<li>${escapeHtml(u.environment)} ${escapeHtml(u.accountName)} (${u.accountId}) ${escapeHtml(u.region)}: ${escapeHtml(u.reason)}</li>`).join("\n")}\n</ul>`
    : ""
}
${report.warnings.length > 0 ? `<h2>Warnings</h2>\n<ul>\n${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("\n")}\n</ul>` : ""}
${invalidOwnersList(report)}
<h2>Instances, worst first</h2>
${more > 0 ? `<p class="note">The ${shown.length} worst of ${report.findingsTotal} instances; all of them are in ${csv}.</p>` : ""}
<table id="instances">
<thead><tr><th>environment</th><th>account</th><th>region</th><th>instance</th><th>name</th><th>owner</th><th>patch group</th><th>severity</th><th>critical</th><th>security</th><th>missing</th><th>failed</th><th>pending reboot</th><th>not covered</th>${slaInstanceHeader(report)}</tr></thead>
<tbody>
${shown.map((f) => instanceRow(f, report)).join("\n")}
</tbody>
</table>
<p class="note">Data: ${dataLink(links.json, links.jsonUrl)} and ${csv}.</p>
</body>
</html>
`;
}
