import {
  addCounts,
  coverageChecks,
  zeroCounts,
  type AccountLine,
  type ComplianceReport,
  type EnvironmentLine,
  type InstanceFinding,
  type RegionLine,
  type Target,
  type TargetResult,
} from "../../../contracts/compliance-model.js";

/** True when the run has anything to tell: non-compliant, pending reboot, not covered, or unreachable. */
export function hasFindings(report: Pick<ComplianceReport, "counts" | "unreachable">): boolean {
  return report.counts.nonCompliant + report.counts.pendingReboot + report.counts.notCovered + report.unreachable.length > 0;
}

/**
 * Orders instances by how urgently they need attention: missing critical patches, then security
 * patches, failed installs, pending reboots, other missing patches, coverage gaps; ties by place.
 */
export function worstFirst(a: InstanceFinding, b: InstanceFinding): number {
  const keys = (f: InstanceFinding) => [
    f.patch?.criticalMissing ?? 0,
    f.patch?.securityMissing ?? 0,
    f.patch?.failed ?? 0,
    f.patch?.pendingReboot ?? 0,
    f.patch?.missing ?? 0,
    f.notCovered.length,
  ];
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
  return `${a.environment}/${a.accountId}/${a.region}/${a.instanceId}`.localeCompare(`${b.environment}/${b.accountId}/${b.region}/${b.instanceId}`);
}

/** Words for what each coverage check means, for every place a finding is shown. */
export const notCoveredText = (finding: InstanceFinding): string => finding.notCovered.map((check) => coverageChecks[check]).join("; ");

/** Sums target results into the report; `environmentOrder` keeps the configured promotion order. */
export function buildReport(
  run: { runId: string; startedAt: string; generatedAt: string; warnings: readonly string[] },
  results: readonly TargetResult[],
  environmentOrder: readonly string[],
): ComplianceReport {
  const byEnvironment = new Map<string, Map<string, { target: Target; regions: RegionLine[] }>>();
  for (const result of results) {
    const { target } = result;
    const accounts = byEnvironment.get(target.environment) ?? new Map();
    byEnvironment.set(target.environment, accounts);
    const account = accounts.get(target.accountId) ?? { target, regions: [] };
    accounts.set(target.accountId, account);
    account.regions.push({ region: target.region, status: result.status, reason: result.reason, counts: result.counts });
  }
  const rank = (name: string) => (environmentOrder.includes(name) ? environmentOrder.indexOf(name) : environmentOrder.length);
  const environments: EnvironmentLine[] = [...byEnvironment.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, accounts]) => {
      const lines: AccountLine[] = [...accounts.values()].map(({ target, regions }) => ({
        accountId: target.accountId,
        accountName: target.accountName,
        source: target.source,
        counts: regions.reduce((sum, r) => addCounts(sum, r.counts), zeroCounts),
        regions,
      }));
      return { name, counts: lines.reduce((sum, a) => addCounts(sum, a.counts), zeroCounts), accounts: lines };
    });
  const warnings = [
    ...run.warnings,
    ...results.flatMap((r) => r.warnings.map((w) => `${r.target.accountName} (${r.target.accountId}) ${r.target.region}: ${w}`)),
  ];
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    generatedAt: run.generatedAt,
    counts: environments.reduce((sum, e) => addCounts(sum, e.counts), zeroCounts),
    targets: results.length,
    environments,
    unreachable: results.filter((r) => r.status === "unreachable").map((r) => ({ ...r.target, reason: r.reason ?? "unreachable" })),
    findings: results.flatMap((r) => r.findings).sort(worstFirst),
    warnings,
  };
}
