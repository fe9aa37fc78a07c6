import type { InstanceFinding, TargetCounts } from "../../../contracts/compliance-model.js";
import type { NoticeDocument, NoticeLine } from "../../shared/chat/document.js";
import { notCoveredText } from "../shared/report.js";
import type { AccountLine, ComplianceReport } from "../../../contracts/compliance-model.js";
import type { RunTrend } from "../../../contracts/compliance-history.js";
import { changeLine } from "../shared/change-text.js";
import { inBreach, instanceSlaText, slaPolicyText } from "../shared/sla-text.js";

export const digestSections = {
  totals: "Totals per environment and account",
  changes: "Since the last run",
  unreachable: "Unreachable account-regions",
  warnings: "Not checked",
  instances: "Instances, worst first",
  invalidOwners: "Invalid owners (owner tag not mailed)",
} as const;

const n = (value: number) => value.toLocaleString("en-US");

/**
 * Lines a digest gives each list that grows with the organization (accounts, unreachable
 * account-regions, warnings); the rest are counted in one line that points to the report, so a
 * digest of 10,000 accounts stays a few messages in every channel.
 */
export const DIGEST_LIST_LINES = 50;

/** The first `limit` items as lines, and one line counting the rest, if any. */
function bounded<T>(items: readonly T[], limit: number, line: (item: T) => string, rest: (count: number) => string): string[] {
  const lines = items.slice(0, limit).map(line);
  return items.length > limit ? [...lines, rest(items.length - limit)] : lines;
}

const hasAnythingToTell = (account: AccountLine) =>
  account.counts.nonCompliant + account.counts.pendingReboot + account.counts.notCovered > 0 || account.regions.some((r) => r.status === "unreachable");

/**
 * Accounts, the ones most in need first: non-compliant, pending reboot, not covered instances,
 * then unreachable regions (which the unreachable section lists as well).
 */
const neediestFirst = (a: AccountLine, b: AccountLine) => {
  const keys = (x: AccountLine) => [
    x.counts.slaBreaches,
    x.counts.nonCompliant,
    x.counts.pendingReboot,
    x.counts.notCovered,
    x.regions.filter((r) => r.status === "unreachable").length,
  ];
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
  return 0;
};

function countsText(c: TargetCounts): string {
  const pct = c.managed === 0 ? "no managed instances" : `${Math.floor((c.compliant * 100) / c.managed)}% compliant (${n(c.compliant)} of ${n(c.managed)})`;
  const parts = [pct, `${n(c.nonCompliant)} non-compliant`];
  if (c.pendingReboot > 0) parts.push(`${n(c.pendingReboot)} pending reboot`);
  if (c.failed > 0) parts.push(`${n(c.failed)} with failed patches`);
  if (c.notCovered > 0) parts.push(`${n(c.notCovered)} not covered`);
  if (c.slaBreaches > 0) parts.push(`${n(c.slaBreaches)} past patch SLA`);
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
  if (f.sla && inBreach(f.sla)) parts.push(`SLA BREACH: ${instanceSlaText(f.sla)}`);
  if (f.owner) parts.push(`owner ${f.owner}`);
  return parts.join(" · ");
}

function headline(report: ComplianceReport): string {
  const c = report.counts;
  const parts = [
    c.nonCompliant > 0 ? `${n(c.nonCompliant)} non-compliant` : "",
    c.slaBreaches > 0 ? `${n(c.slaBreaches)} past patch SLA` : "",
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
  /** Each environment's change since the last run, and what the history could not keep (the report step's output). */
  readonly trend?: RunTrend;
}

/**
 * The digest of a run: totals per environment and account first, each environment's change since
 * the last run, then unreachable targets and what could not be checked, then the worst instances. Every listed instance is one line; instances
 * beyond the limit are counted in a closing line that points to the report, never left out silently.
 */
export function digestDocument(report: ComplianceReport, options: DigestOptions): NoticeDocument {
  const lines: NoticeLine[] = [];
  const section = (name: string, texts: readonly string[]) => texts.forEach((text) => lines.push({ section: name, text }));
  const inReport = `in the report (${options.reportPath})`;
  const accountCount = report.environments.reduce((sum, env) => sum + env.accounts.length, 0);
  // every account while they fit; beyond that only the accounts with something to tell, neediest first
  const shownAccounts = new Set(
    accountCount <= DIGEST_LIST_LINES
      ? report.environments.flatMap((env) => env.accounts)
      : report.environments
          .flatMap((env) => env.accounts.filter(hasAnythingToTell))
          .sort(neediestFirst)
          .slice(0, DIGEST_LIST_LINES),
  );
  for (const env of report.environments) {
    section(digestSections.totals, [`${env.name}: ${countsText(env.counts)}`]);
    for (const account of env.accounts.filter((a) => shownAccounts.has(a))) {
      const unreachable = account.regions.filter((r) => r.status === "unreachable").length;
      const suffix = unreachable > 0 ? ` · ${unreachable} of ${account.regions.length} regions unreachable` : "";
      section(digestSections.totals, [`  ${env.name} / ${account.accountName} (${account.accountId}): ${countsText(account.counts)}${suffix}`]);
    }
  }
  if (accountCount > shownAccounts.size)
    section(digestSections.totals, [`… and ${n(accountCount - shownAccounts.size)} more accounts, with fewer findings or none, ${inReport}`]);
  section(
    digestSections.changes,
    (options.trend?.changes ?? []).map((change) => changeLine(change, report.startedAt)),
  );
  section(
    digestSections.unreachable,
    bounded(
      report.unreachable,
      DIGEST_LIST_LINES,
      (u) => `${u.environment} / ${u.accountName} (${u.accountId}) / ${u.region}: ${u.reason}`,
      (rest) => `… and ${n(rest)} more unreachable account-regions ${inReport}`,
    ),
  );
  section(
    digestSections.warnings,
    bounded(
      [...report.warnings, ...(options.trend?.warnings ?? [])],
      DIGEST_LIST_LINES,
      (w) => w,
      (rest) => `… and ${n(rest)} more ${inReport}`,
    ),
  );
  const listed = report.findings.slice(0, options.instanceLimit);
  section(digestSections.instances, listed.map(instanceLine));
  const rest = report.findingsTotal - listed.length;
  if (rest > 0) section(digestSections.instances, [`… and ${n(rest)} more instances ${inReport}: the worst first, every one in its findings CSV`]);

  const invalid = report.invalidOwners;
  if (invalid && invalid.total > 0)
    section(digestSections.invalidOwners, [
      ...invalid.instances
        .slice(0, DIGEST_LIST_LINES)
        .map((o) => `${o.instanceId} · ${o.environment} / ${o.accountName} (${o.accountId}) / ${o.region} · owner "${o.owner}": ${o.reason}`),
      ...(invalid.total > Math.min(invalid.instances.length, DIGEST_LIST_LINES)
        ? [`… and ${n(invalid.total - Math.min(invalid.instances.length, DIGEST_LIST_LINES))} more instances with invalid owners ${inReport}`]
        : []),
    ]);

  const c = report.counts;
  return {
    title: headline(report),
    summary: [
      `Run ${report.runId}, started ${report.startedAt}: ${n(report.targets)} account-regions, ${n(c.managed)} managed instances, ${countsText(c)}.`,
      ...(report.sla ? [`Patch SLA (days from a patch's release): ${slaPolicyText(report.sla)}.`] : []),
      `Report: ${options.reportPath}`,
    ],
    link: options.reportLink,
    lines,
  };
}
