import type { CoverageCheck } from "../../contracts/compliance-model.js";
import { apiModel, assertValidRequest } from "./api-model.js";

/**
 * A member account and region as the read APIs of the collector see it. It answers with the
 * shapes the SDK returns and enforces the documented limits (page sizes, batch sizes), so a
 * collector that asks for too much fails here as it would against AWS. Every request is first
 * checked against AWS's API model of the service (test/support/api-model.ts: members, types,
 * required members); the limits below are what the SDK's shipped models leave out. Used by the
 * collector tests (through aws-sdk-client-mock) and by the collection benchmark (with latency).
 */
export interface FakeInstance {
  readonly id: string;
  readonly compliant: boolean;
  readonly severity?: string;
  readonly missing?: number;
  readonly critical?: number;
  readonly security?: number;
  readonly failed?: number;
  readonly pendingReboot?: number;
  readonly patchGroup?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Config rule (by check) the instance fails. */
  readonly notCovered?: readonly CoverageCheck[];
}

export class ApiValidationError extends Error {
  override readonly name = "ValidationException";
}

/** The SSM model's InstanceId pattern; the SDK's shipped models leave patterns out, so it is checked by hand. */
export const instanceIdPattern = /(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)/;

type Filter = { Key?: string; Name?: string; Values?: string[] };
const filterValues = (filters: Filter[] | undefined, key: string) => filters?.find((f) => (f.Key ?? f.Name) === key)?.Values;

function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

function checkRange(name: string, value: number | undefined, min: number, max: number, fallback: number): number {
  const v = value ?? fallback;
  if (v < min || v > max) throw new ApiValidationError(`${name} ${v} is outside ${min}-${max}`);
  return v;
}

export class FakeMemberAccount {
  readonly byId: ReadonlyMap<string, FakeInstance>;

  constructor(readonly instances: readonly FakeInstance[]) {
    this.byId = new Map(instances.map((i) => [i.id, i]));
    // loaded now, not on the first request: the benchmarks measure the heap while the collector runs
    for (const service of ["ssm", "ec2", "config"]) apiModel(service);
  }

  listComplianceSummaries(input: { Filters?: Filter[]; MaxResults?: number }) {
    assertValidRequest("ssm", "ListComplianceSummaries", input);
    checkRange("MaxResults", input.MaxResults, 1, 50, 50);
    const compliant = this.instances.filter((i) => i.compliant).length;
    return {
      ComplianceSummaryItems: [
        {
          ComplianceType: "Patch",
          CompliantSummary: { CompliantCount: compliant },
          NonCompliantSummary: { NonCompliantCount: this.instances.length - compliant },
        },
      ],
    };
  }

  listResourceComplianceSummaries(input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "ListResourceComplianceSummaries", input);
    const size = checkRange("MaxResults", input.MaxResults, 1, 50, 50);
    const status = filterValues(input.Filters, "Status");
    const selected = this.instances.filter((i) => !status || status.includes(i.compliant ? "COMPLIANT" : "NON_COMPLIANT"));
    const { items, next } = page(selected, input.NextToken, size);
    return {
      ResourceComplianceSummaryItems: items.map((i) => ({
        ComplianceType: "Patch",
        ResourceType: "ManagedInstance",
        ResourceId: i.id,
        Status: i.compliant ? "COMPLIANT" : "NON_COMPLIANT",
        OverallSeverity: i.compliant ? "UNSPECIFIED" : (i.severity ?? "HIGH"),
        NonCompliantSummary: { NonCompliantCount: i.missing ?? 0, SeveritySummary: { CriticalCount: i.critical ?? 0 } },
      })),
      NextToken: next,
    };
  }

  describeInstancePatchStates(input: { InstanceIds?: string[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "DescribeInstancePatchStates", input);
    const ids = input.InstanceIds ?? [];
    if (ids.length < 1 || ids.length > 50) throw new ApiValidationError(`InstanceIds has ${ids.length} entries; 1-50 allowed`);
    const malformed = ids.filter((id) => !instanceIdPattern.test(id));
    if (malformed.length > 0) throw new ApiValidationError(`InstanceIds ${JSON.stringify(malformed)} do not match ${instanceIdPattern}`);
    const size = checkRange("MaxResults", input.MaxResults, 10, 100, 50);
    const known = ids.map((id) => this.byId.get(id)).filter((i): i is FakeInstance => i !== undefined);
    const { items, next } = page(known, input.NextToken, size);
    return {
      InstancePatchStates: items.map((i) => ({
        InstanceId: i.id,
        PatchGroup: i.patchGroup ?? "",
        BaselineId: "pb-0123456789abcdef0",
        OwnerInformation: "",
        InstalledCount: 10,
        MissingCount: i.missing ?? 0,
        FailedCount: i.failed ?? 0,
        InstalledPendingRebootCount: i.pendingReboot ?? 0,
        NotApplicableCount: 0,
        CriticalNonCompliantCount: i.critical ?? 0,
        SecurityNonCompliantCount: i.security ?? 0,
        OtherNonCompliantCount: Math.max(0, (i.missing ?? 0) - (i.critical ?? 0) - (i.security ?? 0)),
        Operation: "Scan" as const,
        OperationStartTime: new Date("2027-01-10T09:00:00Z"),
        OperationEndTime: new Date("2027-01-10T09:05:00Z"),
      })),
      NextToken: next,
    };
  }

  getComplianceDetailsByConfigRule(
    input: { ConfigRuleName?: string; ComplianceTypes?: string[]; Limit?: number; NextToken?: string },
    ruleChecks: ReadonlyMap<string, CoverageCheck>,
  ) {
    assertValidRequest("config", "GetComplianceDetailsByConfigRule", input);
    const size = checkRange("Limit", input.Limit, 0, 100, 10);
    const check = ruleChecks.get(input.ConfigRuleName ?? "");
    if (!check) throw Object.assign(new Error(`rule ${input.ConfigRuleName} not found`), { name: "NoSuchConfigRuleException" });
    const failing = this.instances.filter((i) => i.notCovered?.includes(check));
    const { items, next } = page(failing, input.NextToken, size);
    return {
      EvaluationResults: items.map((i) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: { ConfigRuleName: input.ConfigRuleName, ResourceType: "AWS::EC2::Instance", ResourceId: i.id },
        },
        ComplianceType: "NON_COMPLIANT" as const,
      })),
      NextToken: next,
    };
  }

  describeTags(input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ec2", "DescribeTags", input);
    const size = checkRange("MaxResults", input.MaxResults, 5, 1000, 1000);
    const ids = filterValues(input.Filters, "resource-id");
    const keys = filterValues(input.Filters, "key");
    if (ids && ids.length > 200) throw new ApiValidationError(`resource-id filter has ${ids.length} values`);
    const tags = this.instances
      .filter((i) => !ids || ids.includes(i.id))
      .flatMap((i) => Object.entries(i.tags ?? {}).map(([Key, Value]) => ({ ResourceId: i.id, ResourceType: "instance" as const, Key, Value })))
      .filter((t) => !keys || keys.includes(t.Key));
    const { items, next } = page(tags, input.NextToken, size);
    return { Tags: items, NextToken: next };
  }

  // ---- what the naive pattern calls ----

  describeInstanceInformation(input: { MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "DescribeInstanceInformation", input);
    const size = checkRange("MaxResults", input.MaxResults, 5, 50, 50);
    const { items, next } = page(this.instances, input.NextToken, size);
    return { InstanceInformationList: items.map((i) => ({ InstanceId: i.id, PingStatus: "Online" as const })), NextToken: next };
  }

  listComplianceItems(input: { ResourceIds?: string[] }) {
    assertValidRequest("ssm", "ListComplianceItems", input);
    const ids = input.ResourceIds ?? [];
    if (ids.length !== 1) throw new ApiValidationError("the naive pattern asks for one resource per call");
    const i = this.byId.get(ids[0]!);
    return { ComplianceItems: i ? [{ ResourceId: i.id, ComplianceType: "Patch", Status: i.compliant ? "COMPLIANT" : "NON_COMPLIANT" }] : [] };
  }
}

/** A fleet of `count` instances: every `nonCompliantEvery`-th is non-compliant, some pending reboot, some failed. */
export function generateFleet(count: number, prefix = "i-0", options: { nonCompliantEvery?: number; patchGroup?: string } = {}): FakeInstance[] {
  const every = options.nonCompliantEvery ?? 2;
  return Array.from({ length: count }, (_, n) => {
    const nonCompliant = n % every === 0;
    return {
      id: `${prefix}${n.toString(16).padStart(16, "0")}`,
      compliant: !nonCompliant,
      severity: nonCompliant ? (n % 3 === 0 ? "CRITICAL" : "HIGH") : undefined,
      missing: nonCompliant ? 1 + (n % 7) : 0,
      critical: nonCompliant && n % 3 === 0 ? 1 : 0,
      security: nonCompliant ? n % 4 : 0,
      failed: nonCompliant && n % 11 === 0 ? 1 : 0,
      pendingReboot: nonCompliant && n % 13 === 0 ? 2 : 0,
      patchGroup: options.patchGroup ?? "web-prod",
      tags: { Name: `host-${n}`, "Patch Group": options.patchGroup ?? "web-prod", "patch-policy": "patch-on-schedule", Owner: `team${n % 5}@example.com` },
    };
  });
}
