import {
  addCounts,
  coverageChecks,
  REPORT_INVALID_OWNERS,
  REPORT_WORST_FINDINGS,
  zeroCounts,
  type InvalidOwner,
  type AccountLine,
  type ComplianceReport,
  type EnvironmentLine,
  type InstanceFinding,
  type RegionLine,
  type Target,
  type TargetResult,
  type UnreachableTarget,
} from "../../../contracts/compliance-model.js";
import { ownerMailbox } from "../../shared/owner-mailbox.js";

/** True when the run has anything to tell: non-compliant, pending reboot, not covered, or unreachable. */
export function hasFindings(report: Pick<ComplianceReport, "counts" | "unreachable">): boolean {
  return report.counts.nonCompliant + report.counts.pendingReboot + report.counts.notCovered + report.unreachable.length > 0;
}

/**
 * Orders instances by how urgently they need attention: patches past the SLA, missing critical
 * patches, then security patches, failed installs, pending reboots, other missing patches, coverage
 * gaps; ties by place.
 */
export function worstFirst(a: InstanceFinding, b: InstanceFinding): number {
  const keys = (f: InstanceFinding) => [
    f.sla?.breaches ?? 0,
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

interface AccountEntry {
  readonly target: Target;
  readonly regions: RegionLine[];
}

/**
 * Sums target results into the report one at a time: counts per environment, account and region,
 * unreachable targets and warnings are kept (a line per target), of the instance findings only
 * the worst `worstKept`, so memory does not grow with the findings.
 */
export class ReportBuilder {
  private readonly byEnvironment = new Map<string, Map<string, AccountEntry>>();
  private readonly unreachable: UnreachableTarget[] = [];
  private readonly warnings: string[];
  private worst: InstanceFinding[] = [];
  private findingsTotal = 0;
  private targets = 0;
  private readonly invalidOwners: InvalidOwner[] = [];
  private invalidOwnersTotal = 0;

  constructor(
    private readonly run: { runId: string; startedAt: string; generatedAt: string; warnings: readonly string[]; sla?: Readonly<Record<string, number>> },
    /** The configured promotion order: environments are listed in it. */
    private readonly environmentOrder: readonly string[],
    private readonly worstKept = REPORT_WORST_FINDINGS,
    /** The owner domains (fleet catalog); empty when owner mail is off, and no owner is checked. */
    private readonly ownerDomains: readonly string[] = [],
  ) {
    this.warnings = [...run.warnings];
  }

  add(result: TargetResult): void {
    const { target } = result;
    this.targets++;
    const accounts = this.byEnvironment.get(target.environment) ?? new Map<string, AccountEntry>();
    this.byEnvironment.set(target.environment, accounts);
    const account = accounts.get(target.accountId) ?? { target, regions: [] };
    accounts.set(target.accountId, account);
    // a result of a collector from before a count existed has none: it counted zero
    account.regions.push({ region: target.region, status: result.status, reason: result.reason, counts: { ...zeroCounts, ...result.counts } });
    if (result.status === "unreachable") this.unreachable.push({ ...target, reason: result.reason ?? "unreachable" });
    for (const w of result.warnings) this.warnings.push(`${target.accountName} (${target.accountId}) ${target.region}: ${w}`);
    this.findingsTotal += result.findings.length;
    // one at a time: spreading a target's findings into push() fails past about 100,000 of them
    for (const finding of result.findings) {
      this.worst.push(finding);
      this.checkOwner(finding);
    }
    // sorting once the list holds twice what is kept keeps the work per finding logarithmic
    if (this.worst.length >= 2 * this.worstKept) this.worst = this.worst.sort(worstFirst).slice(0, this.worstKept);
  }

  /** An owner tag that owner mail would not reach is listed (the first REPORT_INVALID_OWNERS) and counted. */
  private checkOwner(finding: InstanceFinding): void {
    if (this.ownerDomains.length === 0) return;
    const owner = ownerMailbox(finding.owner, this.ownerDomains);
    if (owner.kind !== "invalid") return;
    this.invalidOwnersTotal++;
    if (this.invalidOwners.length < REPORT_INVALID_OWNERS) {
      const { environment, accountId, accountName, region, instanceId } = finding;
      this.invalidOwners.push({ environment, accountId, accountName, region, instanceId, owner: finding.owner!, reason: owner.reason });
    }
  }

  report(): ComplianceReport {
    const rank = (name: string) => (this.environmentOrder.includes(name) ? this.environmentOrder.indexOf(name) : this.environmentOrder.length);
    const environments: EnvironmentLine[] = [...this.byEnvironment.entries()]
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
    return {
      runId: this.run.runId,
      startedAt: this.run.startedAt,
      generatedAt: this.run.generatedAt,
      counts: environments.reduce((sum, e) => addCounts(sum, e.counts), zeroCounts),
      targets: this.targets,
      environments,
      unreachable: this.unreachable,
      findings: [...this.worst].sort(worstFirst).slice(0, this.worstKept),
      findingsTotal: this.findingsTotal,
      warnings: this.warnings,
      ...(this.ownerDomains.length > 0 ? { invalidOwners: { instances: this.invalidOwners, total: this.invalidOwnersTotal } } : {}),
      ...(this.run.sla && { sla: this.run.sla }),
    };
  }
}

/** Sums target results into the report; `environmentOrder` keeps the configured promotion order. */
export function buildReport(
  run: { runId: string; startedAt: string; generatedAt: string; warnings: readonly string[]; sla?: Readonly<Record<string, number>> },
  results: readonly TargetResult[],
  environmentOrder: readonly string[],
  worstKept = REPORT_WORST_FINDINGS,
  ownerDomains: readonly string[] = [],
): ComplianceReport {
  const builder = new ReportBuilder(run, environmentOrder, worstKept, ownerDomains);
  for (const result of results) builder.add(result);
  return builder.report();
}
