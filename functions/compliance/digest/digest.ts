import type { InstanceFinding, TargetCounts } from "../../../contracts/compliance-model.js";
import type { NoticeDocument, NoticeLine } from "../shared/chat/document.js";
import { notCoveredText } from "../shared/report.js";
import type { ComplianceReport } from "../../../contracts/compliance-model.js";

export const digestSections = {
  totals: "Totals per environment and account",
  unreachable: "Unreachable account-regions",
  warnings: "Not checked",
  instances: "Instances, worst first",
} as const;

const n = (value: number) => value.toLocaleString("en-US");

function countsText(c: TargetCounts): string {
  const pct = c.managed === 0 ? "no managed instances" : `${Math.floor((c.compliant / c.managed) * 100)}% compliant (${n(c.compliant)} of ${n(c.managed)})`;
  const parts = [pct, `${n(c.nonCompliant)} non-compliant`];
  if (c.pendingReboot > 0) parts.push(`${n(c.pendingReboot)} pending reboot`);
  if (c.failed > 0) parts.push(`${n(c.failed)} with failed patches`);
  if (c.notCovered > 0) parts.push(`${n(c.notCovered)} not covered`);
  return parts.join(" · ");
}

/** One instance, everything a reader needs to act on it, on one line. */
export function instanceLine(f: InstanceFinding): string {
  const parts = [`${f.instanceId}${f.name ? ` "${f.name}"` : ""}`, `${f.environment} / ${f.accountName} (${f.accountId}) / ${f.region}`];
  if (f.patch) {
    const missing = [
      f.patch.criticalMissing > 0 ? `${f.patch.criticalMissing} critical` : "",
      f.patch.securityMissing > 0 ? `${f.patch.securityMissing} security` : "",
      `${f.patch.missing} missing`,
    ]
      .filter(Boolean)
      .join(", ");
    parts.push(`${f.patch.severity}: ${missing}`);
    if (f.patch.failed > 0) parts.push(`${f.patch.failed} failed`);
    if (f.patch.pendingReboot > 0) parts.push("reboot pending");
  }
  if (f.notCovered.length > 0) parts.push(`not covered: ${notCoveredText(f)}`);
  if (f.owner) parts.push(`owner ${f.owner}`);
  return parts.join(" · ");
}

function headline(report: ComplianceReport): string {
  const c = report.counts;
  const parts = [
    c.nonCompliant > 0 ? `${n(c.nonCompliant)} non-compliant` : "",
    c.pendingReboot > 0 ? `${n(c.pendingReboot)} pending reboot` : "",
    c.notCovered > 0 ? `${n(c.notCovered)} not covered` : "",
    report.unreachable.length > 0 ? `${n(report.unreachable.length)} unreachable` : "",
  ].filter(Boolean);
  return parts.length === 0 ? "Patch compliance: all clear" : `Patch compliance: ${parts.join(", ")}`;
}

export interface DigestOptions {
  /** Instances listed, worst first; the rest are counted in one closing line. */
  readonly instanceLimit: number;
  readonly reportLink: { readonly label: string; readonly url: string };
  /** Where the report is, for readers without console access. */
  readonly reportPath: string;
}

/**
 * The digest of a run: totals per environment and account first, then unreachable targets and what
 * could not be checked, then the worst instances. Every listed instance is one line; instances
 * beyond the limit are counted in a closing line that points to the report, never left out silently.
 */
export function digestDocument(report: ComplianceReport, options: DigestOptions): NoticeDocument {
  const lines: NoticeLine[] = [];
  for (const env of report.environments) {
    lines.push({ section: digestSections.totals, text: `${env.name}: ${countsText(env.counts)}` });
    for (const account of env.accounts) {
      const unreachable = account.regions.filter((r) => r.status === "unreachable").length;
      const suffix = unreachable > 0 ? ` · ${unreachable} of ${account.regions.length} regions unreachable` : "";
      lines.push({
        section: digestSections.totals,
        text: `  ${env.name} / ${account.accountName} (${account.accountId}): ${countsText(account.counts)}${suffix}`,
      });
    }
  }
  for (const u of report.unreachable)
    lines.push({ section: digestSections.unreachable, text: `${u.environment} / ${u.accountName} (${u.accountId}) / ${u.region}: ${u.reason}` });
  for (const warning of report.warnings) lines.push({ section: digestSections.warnings, text: warning });
  const listed = report.findings.slice(0, options.instanceLimit);
  for (const finding of listed) lines.push({ section: digestSections.instances, text: instanceLine(finding) });
  const rest = report.findings.length - listed.length;
  if (rest > 0)
    lines.push({ section: digestSections.instances, text: `… and ${n(rest)} more instances, listed worst first in the report (${options.reportPath})` });

  const c = report.counts;
  return {
    title: headline(report),
    summary: [
      `Run ${report.runId}, started ${report.startedAt}: ${n(report.targets)} account-regions, ${n(c.managed)} managed instances, ${countsText(c)}.`,
      `Report: ${options.reportPath}`,
    ],
    link: options.reportLink,
    lines,
  };
}
