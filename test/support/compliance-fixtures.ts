import type { CoverageCheck, InstanceFinding, Target, TargetResult } from "../../contracts/compliance-model.js";
import { buildReport } from "../../functions/compliance/shared/report.js";
import type { ComplianceReport } from "../../contracts/compliance-model.js";

export const targetOf = (environment: string, accountId: string, accountName: string, region: string): Target => ({
  accountId,
  accountName,
  environment,
  region,
  source: "config",
});

/** `count` findings in a target: varied severities, some pending reboot, failed, or not covered, long names. */
export function findingsFor(target: Target, count: number, start = 0): InstanceFinding[] {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    const notCovered: CoverageCheck[] = n % 9 === 0 ? ["patch-group-tag"] : [];
    return {
      environment: target.environment,
      accountId: target.accountId,
      accountName: target.accountName,
      region: target.region,
      instanceId: `i-${target.accountId.slice(-4)}${target.region.replace(/-/g, "")}${n.toString(16).padStart(8, "0")}`,
      name: `application-server-with-a-rather-long-name-${n}`,
      patchGroup: "web-prod",
      patchPolicy: "patch-on-schedule",
      owner: `team-${n % 7}@example.com`,
      patch: {
        severity: n % 3 === 0 ? "CRITICAL" : "HIGH",
        missing: 1 + (n % 9),
        failed: n % 11 === 0 ? 1 : 0,
        pendingReboot: n % 5 === 0 ? 2 : 0,
        criticalMissing: n % 3 === 0 ? 2 : 0,
        securityMissing: n % 4,
        otherMissing: 1,
      },
      notCovered,
    };
  });
}

export function okResult(target: Target, findings: InstanceFinding[], managed: number): TargetResult {
  const nonCompliant = findings.filter((f) => f.patch).length;
  return {
    target,
    status: "ok",
    collectedAt: "2027-01-11T07:00:10Z",
    counts: {
      managed,
      compliant: managed - nonCompliant,
      nonCompliant,
      pendingReboot: findings.filter((f) => (f.patch?.pendingReboot ?? 0) > 0).length,
      failed: findings.filter((f) => (f.patch?.failed ?? 0) > 0).length,
      notCovered: findings.filter((f) => f.notCovered.length > 0).length,
      slaBreaches: findings.filter((f) => (f.sla?.breaches ?? 0) > 0).length,
    },
    findings,
    warnings: [],
  };
}

/** A run over prod (two accounts, one region of one unreachable) and dev with `perTarget` findings each. */
export function sampleReport(perTarget = 40): ComplianceReport {
  const web = targetOf("prod", "400000000002", "web-prod", "us-east-1");
  const payments = targetOf("prod", "400000000001", "payments-prod", "us-east-1");
  const paymentsEu = targetOf("prod", "400000000001", "payments-prod", "eu-west-1");
  const dev = targetOf("dev", "200000000001", "payments-dev", "us-east-1");
  const results: TargetResult[] = [
    okResult(dev, findingsFor(dev, Math.floor(perTarget / 2)), 120),
    okResult(web, findingsFor(web, perTarget), 400),
    okResult(payments, findingsFor(payments, perTarget, 1000), 250),
    {
      target: paymentsEu,
      status: "unreachable",
      reason:
        "cannot assume arn:aws:iam::400000000001:role/patchline-compliance-reader: the role is missing or does not trust the collector (deploy the member stack)",
      collectedAt: "2027-01-11T07:00:10Z",
      counts: { managed: 0, compliant: 0, nonCompliant: 0, pendingReboot: 0, failed: 0, notCovered: 0, slaBreaches: 0 },
      findings: [],
      warnings: [],
    },
  ];
  return buildReport({ runId: "20270111T070000Z-1a2b3c4d", startedAt: "2027-01-11T07:00:00Z", generatedAt: "2027-01-11T07:01:00Z", warnings: [] }, results, [
    "dev",
    "preprod",
    "prod",
  ]);
}
