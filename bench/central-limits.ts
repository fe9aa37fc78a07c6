import { parseOrgConfig } from "../environments/schema/index.js";
import { runKeys, type Target } from "../contracts/compliance-model.js";
import { approvalDefinitionFor } from "../stacks/approval/workflow.js";
import { logBucketStatements } from "../stacks/central/log-bucket.js";
import { complianceDefinition } from "../stacks/compliance/definition.js";
import { fleetCatalogJson } from "../stacks/compliance/fleet-catalog.js";
import { accountsCsv, complianceDataStatements, evidenceStatements } from "../stacks/compliance/storage.js";
import { secureBucketPolicyStatements } from "../stacks/core/secure-bucket.js";
import { renderDefinition } from "../stacks/core/state-machine.js";
import { policyBytes } from "../stacks/limits/policy-json.js";
import { Naming } from "../stacks/naming.js";
import { generatedOrganization } from "../test/fixtures/organizations/generated.js";

/** The sizes of what the central stack and a compliance run hold, at one organization size. */
export interface CentralSizes {
  readonly accounts: number;
  readonly accountRegions: number;
  readonly complianceDataPolicyBytes: number;
  readonly logBucketPolicyBytes: number;
  readonly evidenceBucketPolicyBytes: number;
  readonly approvalDefinitionBytes: number;
  readonly complianceDefinitionBytes: number;
  /** What ListTargets hands the Map (the largest state of a run before the report). */
  readonly runStateBytes: number;
  readonly targetsFileBytes: number;
  readonly fleetCatalogBytes: number;
  readonly accountsTableBytes: number;
  /** The central documents (policies, definitions) are byte-identical to those of the smallest size measured. */
  readonly sameAsSmallest: boolean;
}

const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];

/**
 * Renders the central stack's account-sensitive documents with the builders the constructs use
 * (stacks/limits/artifacts.test.ts ties them to the synthesized stack) for generated organizations
 * of the given sizes, every account in three regions; and the state and objects of a run over them.
 */
export function centralSizes(sizes: readonly number[]): CentralSizes[] {
  let smallest: string | undefined;
  return sizes.map((accounts) => {
    const config = parseOrgConfig(generatedOrganization({ accounts, regions: REGIONS }));
    const naming = new Naming(config.org);
    const dataPolicy = secureBucketPolicyStatements(naming.complianceDataBucket, complianceDataStatements(config.org.organizationId, naming));
    const logPolicy = secureBucketPolicyStatements(
      naming.logBucket,
      logBucketStatements(
        config.org.organizationId,
        config.environments.map((e) => e.name),
      ),
    );
    const evidencePolicy = secureBucketPolicyStatements(naming.evidenceBucket, evidenceStatements());
    const approval = renderDefinition(approvalDefinitionFor(config, naming));
    const compliance = renderDefinition(
      complianceDefinition({
        functions: { targets: "t", collector: "c", report: "r", digest: "d" },
        bucket: naming.reportsBucket,
        maxConcurrency: config.org.compliance.maxConcurrency,
        toleratedFailurePercentage: config.org.compliance.toleratedFailurePercentage,
      }),
    );
    const documents = JSON.stringify([dataPolicy, logPolicy, evidencePolicy, approval, compliance]);
    smallest ??= documents;
    const targets: Target[] = config.environments.flatMap((env) =>
      env.accounts.flatMap((a) =>
        (a.regions ?? env.regions).map((region) => ({ accountId: a.id, accountName: a.name, environment: env.name, region, source: "config" })),
      ),
    );
    const runId = "20270111T070000Z-1a2b3c4d";
    const runState = {
      runId,
      startedAt: "2027-01-11T07:00:00.000Z",
      bucket: naming.reportsBucket,
      targetsKey: runKeys.targets(runId),
      targetCount: targets.length,
      warnings: [],
    };
    return {
      accounts,
      accountRegions: targets.length,
      complianceDataPolicyBytes: policyBytes(dataPolicy),
      logBucketPolicyBytes: policyBytes(logPolicy),
      evidenceBucketPolicyBytes: policyBytes(evidencePolicy),
      approvalDefinitionBytes: Buffer.byteLength(approval),
      complianceDefinitionBytes: Buffer.byteLength(compliance),
      runStateBytes: Buffer.byteLength(JSON.stringify(runState)),
      targetsFileBytes: Buffer.byteLength(JSON.stringify(targets)),
      fleetCatalogBytes: Buffer.byteLength(fleetCatalogJson(config, naming)),
      accountsTableBytes: Buffer.byteLength(accountsCsv(config)),
      sameAsSmallest: documents === smallest,
    };
  });
}
