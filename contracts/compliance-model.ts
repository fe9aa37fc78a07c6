/**
 * What the compliance run passes between its steps, and the report it writes. Targets and summaries
 * travel through the state machine (small, bounded); findings live in S3 and only their keys travel.
 * The report (`ComplianceReport`) is what the JSON report holds and the HTML, CSV and digests show.
 */

/** One (account, region) the run collects from. */
export interface Target {
  readonly accountId: string;
  /** From config; accounts found in an organizational unit carry their Organizations name. */
  readonly accountName: string;
  readonly environment: string;
  readonly region: string;
  /** `config`, or `ou:<id>` for an account listed from an organizational unit at run time. */
  readonly source: string;
}

/** The coverage checks (AWS Config rules in member accounts) and what a failure means. */
export const coverageChecks = {
  "patch-group-tag": "no patch group tag naming a patch group of its environment",
  "patch-policy-tag": "no patch-policy tag with an allowed value",
  "maintenance-window-tag": "Maintenance Window tag names no window of its environment",
  "managed-by-ssm": "not managed by Systems Manager",
} as const;
export type CoverageCheck = keyof typeof coverageChecks;

/** Patch state of a non-compliant instance, as Patch Manager last reported it. */
export interface PatchState {
  /** Highest severity of its missing patches (OverallSeverity of the compliance summary). */
  readonly severity: string;
  readonly missing: number;
  readonly failed: number;
  readonly pendingReboot: number;
  readonly criticalMissing: number;
  readonly securityMissing: number;
  readonly otherMissing: number;
  readonly patchGroup?: string;
  /** Scan or Install, and when it ended (ISO 8601). */
  readonly lastOperation?: string;
  readonly lastOperationAt?: string;
}

/**
 * How an instance stands against the organization's patch SLA (`org.compliance.sla`): its missing
 * and failed patches aged from their release dates. Absent when no SLA is configured, when the
 * instance misses no patch, or when the SLA could not be checked in its account-region.
 */
export interface SlaSummary {
  /** Missing or failed patches older than their severity's SLA. */
  readonly breaches: number;
  /** Age in whole days of the oldest missing or failed patch whose release date is known; absent when none is known. */
  readonly oldestMissingDays?: number;
  /** Missing or failed patches without a known release date: never a breach. */
  readonly unknownAge: number;
  /** The patch most days past its SLA; absent when nothing is in breach. */
  readonly worst?: {
    readonly patchId: string;
    readonly title: string;
    readonly severity: string;
    readonly ageDays: number;
    readonly slaDays: number;
  };
}

/** One instance the digest lists: non-compliant, pending reboot, failed, or not covered. */
export interface InstanceFinding {
  readonly environment: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly instanceId: string;
  readonly name?: string;
  readonly patchGroup?: string;
  readonly patchPolicy?: string;
  readonly maintenanceWindow?: string;
  readonly owner?: string;
  /** Absent when the instance is compliant (it is listed for coverage only). */
  readonly patch?: PatchState;
  /** Coverage checks the instance fails. */
  readonly notCovered: readonly CoverageCheck[];
  /** Against the patch SLA; absent without an SLA or without missing patches. */
  readonly sla?: SlaSummary;
}

export interface TargetCounts {
  /** Instances with patch compliance data (compliant + non-compliant). */
  readonly managed: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly pendingReboot: number;
  readonly failed: number;
  readonly notCovered: number;
  /** Instances with at least one missing or failed patch older than its severity's SLA; 0 when no SLA is configured. */
  readonly slaBreaches: number;
}

export const zeroCounts: TargetCounts = { managed: 0, compliant: 0, nonCompliant: 0, pendingReboot: 0, failed: 0, notCovered: 0, slaBreaches: 0 };

/** What the collector found in one target; written to S3 whole. */
export interface TargetResult {
  readonly target: Target;
  readonly status: "ok" | "unreachable";
  /** Why the target could not be read (role missing, access denied, throttled beyond retries). */
  readonly reason?: string;
  readonly collectedAt: string;
  readonly counts: TargetCounts;
  readonly findings: readonly InstanceFinding[];
  /** Things the run could not check here but that did not make the target unreachable. */
  readonly warnings: readonly string[];
}

/** What the state machine carries per target: counts and where the findings are. */
export interface TargetSummary extends Target {
  readonly status: "ok" | "unreachable";
  readonly reason?: string;
  readonly counts: TargetCounts;
  /** Key of the TargetResult in the reports bucket; absent when the collector never ran to the end. */
  readonly resultKey?: string;
}

/** Where a run keeps its objects in the reports bucket. */
export const runKeys = {
  /** The run's targets, one JSON array the Distributed Map reads (ItemReader). */
  targets: (runId: string) => `runs/${runId}/targets.json`,
  targetResult: (runId: string, target: Pick<Target, "environment" | "accountId" | "region">) =>
    `runs/${runId}/targets/${target.environment}/${target.accountId}/${target.region}.json`,
  report: (runId: string, file: "report.json" | "findings.csv" | "report.html") => `reports/${runId}/${file}`,
};

/** Sums counts of several targets. */
export function addCounts(a: TargetCounts, b: TargetCounts): TargetCounts {
  return {
    managed: a.managed + b.managed,
    compliant: a.compliant + b.compliant,
    nonCompliant: a.nonCompliant + b.nonCompliant,
    pendingReboot: a.pendingReboot + b.pendingReboot,
    failed: a.failed + b.failed,
    notCovered: a.notCovered + b.notCovered,
    slaBreaches: a.slaBreaches + b.slaBreaches,
  };
}

/** One region of an account in the report. */
export interface RegionLine {
  readonly region: string;
  readonly status: TargetResult["status"];
  readonly reason?: string;
  readonly counts: TargetCounts;
}

export interface AccountLine {
  readonly accountId: string;
  readonly accountName: string;
  readonly source: string;
  readonly counts: TargetCounts;
  readonly regions: readonly RegionLine[];
}

export interface EnvironmentLine {
  readonly name: string;
  readonly counts: TargetCounts;
  readonly accounts: readonly AccountLine[];
}

export interface UnreachableTarget extends Target {
  readonly reason: string;
}

/**
 * Instances the JSON report, the HTML page and the digests list, worst first. A run of 10,000
 * accounts may find millions; all of them are in the findings CSV, written as the report streams.
 */
export const REPORT_WORST_FINDINGS = 5000;

/** An instance whose owner tag is set but is not mailed: not a single address, or outside the owner domains. */
export interface InvalidOwner {
  readonly environment: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly instanceId: string;
  readonly owner: string;
  readonly reason: string;
}

/** Invalid owners a report lists; the rest are counted. */
export const REPORT_INVALID_OWNERS = 1000;

/** Everything one run found: the JSON report, and what the HTML page and the digests are rendered from. */
export interface ComplianceReport {
  readonly runId: string;
  readonly startedAt: string;
  readonly generatedAt: string;
  readonly counts: TargetCounts;
  readonly targets: number;
  readonly environments: readonly EnvironmentLine[];
  readonly unreachable: readonly UnreachableTarget[];
  /** The worst instances, at most `REPORT_WORST_FINDINGS`, worst first (see `worstFirst`). */
  readonly findings: readonly InstanceFinding[];
  /** Every instance with a finding, listed or not (the findings CSV has them all). */
  readonly findingsTotal: number;
  readonly warnings: readonly string[];
  /**
   * Instances with findings whose owner tag is not mailed, at most `REPORT_INVALID_OWNERS`, and
   * how many there are; absent when owner mail is off (and in reports written before it existed).
   */
  readonly invalidOwners?: { readonly instances: readonly InvalidOwner[]; readonly total: number };
  /** The patch SLA the run checked (days per severity); absent when none is configured. */
  readonly sla?: Readonly<Record<string, number>>;
}
