import { paginateGetComplianceDetailsByConfigRule } from "@aws-sdk/client-config-service";
import { paginateDescribeTags } from "@aws-sdk/client-ec2";
import {
  paginateDescribeInstancePatchStates,
  paginateListComplianceSummaries,
  paginateListResourceComplianceSummaries,
  type InstancePatchState,
  type ResourceComplianceSummaryItem,
} from "@aws-sdk/client-ssm";
import type { CoverageCheck } from "../../../contracts/compliance-model.js";
import { chunks, mapWithConcurrency } from "../../shared/concurrency.js";
import { asError } from "../../shared/errors.js";
import type { MemberReadClients } from "../shared/member-access.js";
import { MAINTENANCE_WINDOW_TAG, PATCH_POLICY_TAG, type PatchGroupTagKey } from "../../../contracts/tags.js";
import type { ComplianceErrorName } from "../../../contracts/compliance-run.js";

/** API limits (SSM API model, research §3.2): pages and batches as large as each call allows. */
export const limits = {
  /** ListComplianceSummaries and ListResourceComplianceSummaries: MaxResults 1-50. */
  complianceSummariesPage: 50,
  /** DescribeInstancePatchStates: at most 50 InstanceIds per call. */
  patchStatesBatch: 50,
  /** GetComplianceDetailsByConfigRule: Limit 0-100. */
  configRulePage: 100,
  /** DescribeTags: MaxResults 5-1000; resource ids per request kept at 200. */
  tagsPage: 1000,
  tagsBatch: 200,
  /** Requests of one kind in flight at once inside one target. */
  parallelBatches: 4,
} as const;

/** A step of the collection failed; `step` names the API call for the digest. */
export class CollectionStepFailed extends Error {
  override readonly name: ComplianceErrorName = "CollectionStepFailed";
  constructor(
    readonly step: string,
    override readonly cause: Error,
  ) {
    super(`${step}: ${cause.name}: ${cause.message}`);
  }
}

/** Runs one step of the collection: whatever it throws is CollectionStepFailed, named after the step's API call. */
export async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (thrown) {
    throw new CollectionStepFailed(name, asError(thrown));
  }
}

export interface CoverageRule {
  readonly check: CoverageCheck;
  readonly ruleName: string;
}

/** The organization's instance tag keys (`org.ownerTagKey`, `org.patchGroupTagKey`). */
export interface InstanceTagKeys {
  readonly ownerTagKey: string;
  readonly patchGroupTagKey: PatchGroupTagKey;
}

export interface CollectOptions extends InstanceTagKeys {
  /** The environment's coverage rules; empty when tag compliance is off. */
  readonly coverageRules: readonly CoverageRule[];
}

/** What the APIs said about one target, before it is shaped into findings. */
export interface RawCompliance {
  readonly compliantCount: number;
  readonly nonCompliant: readonly ResourceComplianceSummaryItem[];
  readonly patchStates: ReadonlyMap<string, InstancePatchState>;
  /** Coverage checks each instance fails. */
  readonly coverage: ReadonlyMap<string, readonly CoverageCheck[]>;
  /** Tags of EC2 instances (the keys patchline reads only). */
  readonly tags: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly warnings: readonly string[];
}

/**
 * Collects patch compliance of one account and region: one sweep of the non-compliant summaries,
 * patch states in batches of 50, coverage rule results, tags in batches. Never a call per instance.
 */
export async function collectCompliance(clients: MemberReadClients, options: CollectOptions): Promise<RawCompliance> {
  const patchFilter = { Key: "ComplianceType", Values: ["Patch"], Type: "EQUAL" as const };

  const compliantCount = await step("ListComplianceSummaries", async () => {
    let count = 0;
    for await (const page of paginateListComplianceSummaries({ client: clients.ssm, pageSize: limits.complianceSummariesPage }, { Filters: [patchFilter] })) {
      for (const item of page.ComplianceSummaryItems ?? []) if (item.ComplianceType === "Patch") count += item.CompliantSummary?.CompliantCount ?? 0;
    }
    return count;
  });

  const nonCompliant = await step("ListResourceComplianceSummaries", async () => {
    const items: ResourceComplianceSummaryItem[] = [];
    const filters = [patchFilter, { Key: "Status", Values: ["NON_COMPLIANT"], Type: "EQUAL" as const }];
    for await (const page of paginateListResourceComplianceSummaries({ client: clients.ssm, pageSize: limits.complianceSummariesPage }, { Filters: filters })) {
      for (const item of page.ResourceComplianceSummaryItems ?? []) if (item.ResourceId && item.Status === "NON_COMPLIANT") items.push(item);
    }
    return items;
  });

  const patchStates = await step("DescribeInstancePatchStates", async () => {
    const states = new Map<string, InstancePatchState>();
    const batches = chunks(
      nonCompliant.map((s) => s.ResourceId!),
      limits.patchStatesBatch,
    );
    await mapWithConcurrency(batches, limits.parallelBatches, async (InstanceIds) => {
      for await (const page of paginateDescribeInstancePatchStates({ client: clients.ssm, pageSize: limits.patchStatesBatch }, { InstanceIds })) {
        for (const state of page.InstancePatchStates ?? []) if (state.InstanceId) states.set(state.InstanceId, state);
      }
    });
    return states;
  });

  const warnings: string[] = [];
  const coverage = new Map<string, CoverageCheck[]>();
  await mapWithConcurrency(options.coverageRules, limits.parallelBatches, async (rule) => {
    try {
      const pages = paginateGetComplianceDetailsByConfigRule(
        { client: clients.config, pageSize: limits.configRulePage },
        { ConfigRuleName: rule.ruleName, ComplianceTypes: ["NON_COMPLIANT"] },
      );
      for await (const page of pages) {
        for (const result of page.EvaluationResults ?? []) {
          const id = result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId;
          if (id) coverage.set(id, [...(coverage.get(id) ?? []), rule.check]);
        }
      }
    } catch (thrown) {
      const error = asError(thrown);
      // a missing rule means the member stack (or AWS Config) is not there yet: say so, keep the patch data
      if (error.name !== "NoSuchConfigRuleException") throw new CollectionStepFailed("GetComplianceDetailsByConfigRule", error);
      warnings.push(`coverage rule ${rule.ruleName} does not exist here; deploy the member stack with tag compliance on and an AWS Config recorder`);
    }
  });
  for (const [id, checks] of coverage) coverage.set(id, [...checks].sort());

  const ec2Ids = [...new Set([...nonCompliant.map((s) => s.ResourceId!), ...coverage.keys()])].filter((id) => id.startsWith("i-")).sort();
  const tagKeys = ["Name", options.patchGroupTagKey, PATCH_POLICY_TAG, MAINTENANCE_WINDOW_TAG, options.ownerTagKey];
  const tags = await step("DescribeTags", async () => {
    const byInstance = new Map<string, Record<string, string>>();
    await mapWithConcurrency(chunks(ec2Ids, limits.tagsBatch), limits.parallelBatches, async (ids) => {
      const filters = [
        { Name: "resource-id", Values: ids },
        { Name: "key", Values: [...new Set(tagKeys)] },
      ];
      for await (const page of paginateDescribeTags({ client: clients.ec2, pageSize: limits.tagsPage }, { Filters: filters })) {
        for (const tag of page.Tags ?? []) {
          if (!tag.ResourceId || !tag.Key) continue;
          byInstance.set(tag.ResourceId, { ...byInstance.get(tag.ResourceId), [tag.Key]: tag.Value ?? "" });
        }
      }
    });
    return byInstance;
  });

  return { compliantCount, nonCompliant, patchStates, coverage, tags, warnings };
}
