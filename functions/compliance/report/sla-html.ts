import type { ComplianceReport, InstanceFinding, TargetCounts } from "../../../contracts/compliance-model.js";
import { escapeHtml } from "../../shared/escape/html.js";
import { inBreach, instanceSlaText, slaPolicyText } from "../shared/sla-text.js";

/**
 * The patch SLA's part of the HTML report: the policy and its breaches under the summary, a
 * column of instances past it in the totals, a flag on each instance. A report without an SLA
 * (none configured) has none of them.
 */

export const slaStyle = `
.breach { background: #c62828; color: #ffffff; border-radius: 3px; padding: 0 4px; font-weight: bold; }`;

type Sla = Pick<ComplianceReport, "sla">;

/** The policy and how many instances are past it, under the run's summary line. */
export const slaPolicyParagraph = (report: Sla & Pick<ComplianceReport, "counts">): string =>
  report.sla
    ? `<p>Patch SLA (days from a patch's release): ${escapeHtml(slaPolicyText(report.sla))}; ${report.counts.slaBreaches} instances with a missing or failed patch past it.</p>`
    : "";

/** The totals' column of instances in breach. */
export const slaCountHeader = (report: Sla): string => (report.sla ? "<th>past SLA</th>" : "");
export const slaCountCell = (report: Sla, counts: TargetCounts): string => (report.sla ? `<td class="n">${escapeHtml(counts.slaBreaches)}</td>` : "");

/** The instance table's SLA column: a flag for an instance in breach, with the patch most past its SLA. */
export const slaInstanceHeader = (report: Sla): string => (report.sla ? "<th>patch SLA</th>" : "");
export function slaInstanceCell(report: Sla, finding: InstanceFinding): string {
  if (!report.sla) return "";
  if (!finding.sla) return "<td></td>";
  const text = instanceSlaText(finding.sla);
  const flag = inBreach(finding.sla) ? '<span class="breach">breach</span> ' : "";
  return `<td class="t" title="${escapeHtml(text)}">${flag}${escapeHtml(text)}</td>`;
}
