import type { Target } from "../../../contracts/compliance-model.js";
import {
  EVIDENCE_LOOKBACK_DAYS,
  EVIDENCE_SUMMARY_RUNS,
  InvalidEvidence,
  type EvidenceDocument,
  type EvidenceInstance,
  type EvidencePart,
  type EvidenceSummary,
  type WindowExecution,
} from "../../../contracts/evidence.js";

/**
 * The evidence documents of a run, joined from its targets' parts, and the summaries that list
 * them: no AWS here, so a document is the same however often it is assembled from the same parts.
 */

type EvidenceTarget = EvidenceDocument["targets"][number];
type SummaryRun = EvidenceSummary["runs"][number];

const DAY_MS = 86_400_000;

interface Collected {
  readonly targets: EvidenceTarget[];
  readonly instances: EvidenceInstance[];
  readonly windowExecutions: WindowExecution[];
  /** The latest `collectedAt` and `windowExecutionsSince` of the targets that were read. */
  collectedAt?: string;
  windowExecutionsSince?: string;
}

const later = (a: string | undefined, b: string): string => (a === undefined || b > a ? b : a);
const byTarget = (a: { accountId: string; region: string }, b: { accountId: string; region: string }) =>
  a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region);

/**
 * Gathers the parts of the environments whose evidence the run collects, one target at a time,
 * and holds nothing of any other environment.
 */
export class EvidenceAssembler {
  private readonly collected = new Map<string, Collected>();

  constructor(
    private readonly run: { readonly runId: string; readonly startedAt: string },
    environments: readonly string[],
  ) {
    for (const environment of environments) this.collected.set(environment, { targets: [], instances: [], windowExecutions: [] });
  }

  /** True when the run collects the environment's evidence. */
  wants(environment: string): boolean {
    return this.collected.has(environment);
  }

  /** A target of an evidence environment: its part as the collector wrote it, or why there is none. */
  add(target: Target, evidence: { readonly part: EvidencePart } | { readonly unreachable: string }): void {
    const into = this.collected.get(target.environment);
    if (!into) return;
    if ("unreachable" in evidence) {
      into.targets.push({
        accountId: target.accountId,
        accountName: target.accountName,
        region: target.region,
        status: "unreachable",
        reason: evidence.unreachable,
        instances: 0,
      });
      return;
    }
    const { part } = evidence;
    if (part.target.accountId !== target.accountId || part.target.region !== target.region)
      throw new InvalidEvidence(`the evidence part of ${part.target.accountId} ${part.target.region} was handed in for ${target.accountId} ${target.region}`);
    into.targets.push(part.target);
    if (part.target.status !== "ok") return;
    into.instances.push(...part.instances);
    into.windowExecutions.push(...part.windowExecutions);
    into.collectedAt = later(into.collectedAt, part.collectedAt);
    into.windowExecutionsSince = later(into.windowExecutionsSince, part.windowExecutionsSince);
  }

  /**
   * One document per evidence environment the run had targets in, everything in a fixed order.
   * Every target read has its window executions since its own `windowExecutionsSince`, so all of
   * them since the latest; a run that could read no target dates its document by its start.
   */
  documents(): EvidenceDocument[] {
    return [...this.collected]
      .filter(([, c]) => c.targets.length > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([environment, c]): EvidenceDocument => {
        const collectedAt = c.collectedAt ?? new Date(this.run.startedAt).toISOString();
        return {
          version: 1,
          id: `${environment}/${this.run.runId}`,
          environment,
          runId: this.run.runId,
          collectedAt,
          windowExecutionsSince: c.windowExecutionsSince ?? new Date(Date.parse(collectedAt) - EVIDENCE_LOOKBACK_DAYS * DAY_MS).toISOString(),
          targets: [...c.targets].sort(byTarget),
          instances: [...c.instances].sort((a, b) => byTarget(a, b) || a.InstanceId.localeCompare(b.InstanceId)),
          windowExecutions: [...c.windowExecutions].sort(
            (a, b) => byTarget(a, b) || a.StartTime.localeCompare(b.StartTime) || a.WindowExecutionId.localeCompare(b.WindowExecutionId),
          ),
        };
      });
  }
}

/**
 * A run's line in the summary. installed, failed and missing count (instance, patch) pairs:
 * installed are Installed and InstalledPendingReboot (installed, waiting for a restart), as
 * `npm run promote` counts them.
 */
export function summaryRun(document: EvidenceDocument, key: string): SummaryRun {
  let installed = 0;
  let failed = 0;
  let missing = 0;
  for (const instance of document.instances) {
    for (const patch of instance.Patches) {
      if (patch.State === "Installed" || patch.State === "InstalledPendingReboot") installed += 1;
      else if (patch.State === "Failed") failed += 1;
      else if (patch.State === "Missing") missing += 1;
    }
  }
  return {
    id: document.id,
    key,
    collectedAt: document.collectedAt,
    instances: document.instances.length,
    unreachableTargets: document.targets.filter((t) => t.status === "unreachable").length,
    installed,
    failed,
    missing,
  };
}

/**
 * The summary with the run added: newest first, at most EVIDENCE_SUMMARY_RUNS. A summary that
 * already lists the run is returned as it is (a retried report step adds it once).
 */
export function nextSummary(previous: EvidenceSummary | undefined, document: EvidenceDocument, key: string): EvidenceSummary {
  if (previous?.runs.some((run) => run.id === document.id)) return previous;
  const runs = [summaryRun(document, key), ...(previous?.runs ?? [])]
    .sort((a, b) => b.collectedAt.localeCompare(a.collectedAt) || b.id.localeCompare(a.id))
    .slice(0, EVIDENCE_SUMMARY_RUNS);
  return { version: 1, environment: document.environment, runs };
}
