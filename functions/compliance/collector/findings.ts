import type { InstancePatchState, ResourceComplianceSummaryItem } from "@aws-sdk/client-ssm";
import type { InstanceFinding, PatchState, Target, TargetCounts } from "../../../contracts/compliance-model.js";
import { MAINTENANCE_WINDOW_TAG, PATCH_POLICY_TAG } from "../../../contracts/tags.js";
import type { InstanceTagKeys, RawCompliance } from "./collect.js";

function patchStateOf(summary: ResourceComplianceSummaryItem | undefined, state: InstancePatchState | undefined): PatchState | undefined {
  if (!summary) return undefined;
  return {
    severity: summary.OverallSeverity ?? "UNSPECIFIED",
    missing: state?.MissingCount ?? summary.NonCompliantSummary?.NonCompliantCount ?? 0,
    failed: state?.FailedCount ?? 0,
    pendingReboot: state?.InstalledPendingRebootCount ?? 0,
    criticalMissing: state?.CriticalNonCompliantCount ?? summary.NonCompliantSummary?.SeveritySummary?.CriticalCount ?? 0,
    securityMissing: state?.SecurityNonCompliantCount ?? 0,
    otherMissing: state?.OtherNonCompliantCount ?? 0,
    patchGroup: state?.PatchGroup || undefined,
    lastOperation: state?.Operation,
    lastOperationAt: state?.OperationEndTime?.toISOString(),
  };
}

/**
 * Shapes one target's API answers into findings: every non-compliant instance and every instance
 * that fails a coverage check, once each, enriched from its tags, sorted by instance id.
 */
export function buildFindings(target: Target, raw: RawCompliance, tagKeys: InstanceTagKeys): { findings: InstanceFinding[]; counts: TargetCounts } {
  const summaries = new Map(raw.nonCompliant.map((s) => [s.ResourceId!, s]));
  const ids = [...new Set([...summaries.keys(), ...raw.coverage.keys()])].sort();
  const findings = ids.map((instanceId): InstanceFinding => {
    const tags = raw.tags.get(instanceId) ?? {};
    const patch = patchStateOf(summaries.get(instanceId), raw.patchStates.get(instanceId));
    return {
      environment: target.environment,
      accountId: target.accountId,
      accountName: target.accountName,
      region: target.region,
      instanceId,
      name: tags.Name || undefined,
      patchGroup: tags[tagKeys.patchGroupTagKey] || patch?.patchGroup,
      patchPolicy: tags[PATCH_POLICY_TAG] || undefined,
      maintenanceWindow: tags[MAINTENANCE_WINDOW_TAG] || undefined,
      owner: tags[tagKeys.ownerTagKey] || undefined,
      patch,
      notCovered: raw.coverage.get(instanceId) ?? [],
    };
  });
  const counts: TargetCounts = {
    managed: raw.compliantCount + summaries.size,
    compliant: raw.compliantCount,
    nonCompliant: summaries.size,
    pendingReboot: findings.filter((f) => (f.patch?.pendingReboot ?? 0) > 0).length,
    failed: findings.filter((f) => (f.patch?.failed ?? 0) > 0).length,
    notCovered: findings.filter((f) => f.notCovered.length > 0).length,
    // counted once the SLA is checked (sla-collect.ts), when one is configured
    slaBreaches: 0,
  };
  return { findings, counts };
}
