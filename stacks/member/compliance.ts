import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SsmResourceDataSync } from "@cdktf/provider-aws/lib/ssm-resource-data-sync";
import { Construct } from "constructs";
import type { Environment } from "../../environments/schema/index.js";
import { coverageChecks, type CoverageCheck } from "../../contracts/compliance-model.js";
import { coverageRuleNames } from "../compliance/fleet-catalog.js";
import type { Naming } from "../naming.js";
import { CentralAccessRole } from "./central-access-role.js";
import type { PolicyStatement } from "../core/iam-policy.js";
import { centralReaderFunctions } from "../../contracts/functions.js";
import { coverageGuardPolicies } from "./coverage-policies.js";
import type { PatchGroupTagKey } from "../../contracts/tags.js";

export interface ComplianceReaderRoleProps {
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly organizationId: string;
  readonly naming: Naming;
  /** IAM is global: the provider of the account's first region creates the role. */
  readonly provider: AwsProvider;
}

/**
 * What the central compliance functions may read in one member account. The policy grows with the
 * account's regions: stacks/limits checks it against IAM's role policy size.
 */
export function complianceReaderStatements(accountId: string, regions: readonly string[]): PolicyStatement[] {
  return [
    {
      // none of these supports resource-level permissions; DescribeAvailablePatches: the release dates of the patch SLA
      // (granted whether an SLA is configured or not: switching it on needs no member deploy)
      sid: "CollectorListsPatchCompliance",
      actions: ["ssm:ListComplianceSummaries", "ssm:ListResourceComplianceSummaries", "ssm:DescribeAvailablePatches"],
      resources: ["*"],
    },
    {
      // DescribeInstancePatches: the evidence of an environment another is promoted from, and the patch SLA's missing patches, per instance
      sid: "CollectorReadsPatchStates",
      actions: ["ssm:DescribeInstancePatchStates", "ssm:DescribeInstancePatches"],
      resources: regions.flatMap((region) => [`arn:aws:ec2:${region}:${accountId}:instance/*`, `arn:aws:ssm:${region}:${accountId}:managed-instance/*`]),
    },
    {
      // the evidence's instance list and window executions; none of these supports resource-level permissions
      sid: "CollectorListsEvidence",
      actions: [
        "ssm:DescribeInstanceInformation",
        "ssm:DescribeMaintenanceWindows",
        "ssm:DescribeMaintenanceWindowExecutionTasks",
        "ssm:DescribeMaintenanceWindowExecutionTaskInvocations",
      ],
      resources: ["*"],
    },
    {
      // Config rule ARNs end in a generated id; the rule names are patchline's
      sid: "CollectorReadsCoverageRuleResults",
      actions: ["config:GetComplianceDetailsByConfigRule"],
      resources: regions.map((region) => `arn:aws:config:${region}:${accountId}:config-rule/*`),
    },
    {
      sid: "CollectorAndNoticesReadInstanceTags",
      actions: ["ec2:DescribeInstances", "ec2:DescribeTags"],
      resources: ["*"],
    },
    {
      // failure notifications name failed windows; the collector reads the executions of an evidence environment's windows
      // (one statement: the policy grows by one ARN per region, not two)
      sid: "ReadWindowsAndExecutions",
      actions: ["ssm:GetMaintenanceWindow", "ssm:DescribeMaintenanceWindowExecutions"],
      resources: regions.map((region) => `arn:aws:ssm:${region}:${accountId}:maintenancewindow/*`),
    },
    {
      sid: "FailureNotificationsNameCommands",
      actions: ["ssm:ListCommands"],
      resources: ["*"],
    },
    {
      // failure notifications name the instance an install runbook stopped for (a change freeze, a failed backup)
      sid: "FailureNotificationsReadInstallRunbooks",
      actions: ["ssm:GetAutomationExecution"],
      // one ARN for every region: the reader role's size stays what it was per region
      resources: [`arn:aws:ssm:*:${accountId}:automation-execution/*`],
    },
  ];
}

/**
 * The read-only role the central compliance functions assume in a member account: the collector
 * (compliance and patch state, coverage rule results, tags, and the evidence of environments others
 * are promoted from: instances, their patches, window executions), the impending-patch notices (which
 * instances a window targets) and the failure notifications (names of failed windows and commands).
 * Nothing in it changes anything.
 */
export class ComplianceReaderRole extends Construct {
  readonly role: CentralAccessRole["role"];

  constructor(scope: Construct, id: string, props: ComplianceReaderRoleProps) {
    super(scope, id);
    const { accountId, regions, naming } = props;
    const access = new CentralAccessRole(this, "Access", {
      roleName: naming.complianceReaderRole,
      description: "read-only: patch compliance, coverage rule results and tags for the central compliance functions",
      trustedRoleArns: centralReaderFunctions.map((fn) => naming.centralRoleArn(naming.centralFunction(fn))),
      organizationId: props.organizationId,
      provider: props.provider,
      statements: complianceReaderStatements(accountId, regions),
    });
    this.role = access.role;
  }
}

export interface ComplianceDataSyncProps {
  readonly naming: Naming;
  readonly centralRegion: string;
  readonly provider: AwsProvider;
}

/** Ships the region's inventory and compliance data to the central bucket; SSM adds `accountid=`/`region=` below the prefix. */
export class ComplianceDataSync extends Construct {
  readonly sync: SsmResourceDataSync;

  constructor(scope: Construct, id: string, props: ComplianceDataSyncProps) {
    super(scope, id);
    const { naming } = props;
    this.sync = new SsmResourceDataSync(this, "Sync", {
      provider: props.provider,
      name: naming.resourceDataSync,
      s3Destination: { bucketName: naming.complianceDataBucket, region: props.centralRegion, prefix: naming.resourceDataSyncPrefix, syncFormat: "JsonSerDe" },
    });
  }
}

export interface CoverageRulesProps {
  readonly environment: Environment;
  /** The instance tag holding the patch group (`org.patchGroupTagKey`). */
  readonly patchGroupTagKey: PatchGroupTagKey;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/**
 * AWS Config rules that tell which instances patching does not cover: no valid patch group tag, no
 * valid `patch-policy`, a `Maintenance Window` tag naming no window, not managed by SSM. They need
 * the account's AWS Config recorder (Control Tower sets one up) to record EC2 instances and
 * managed-instance inventory.
 */
export class CoverageRules extends Construct {
  readonly rules: ReadonlyMap<CoverageCheck, ConfigConfigRule>;

  constructor(scope: Construct, id: string, props: CoverageRulesProps) {
    super(scope, id);
    const { environment, provider } = props;
    const names = coverageRuleNames(props.naming);
    const policies = coverageGuardPolicies({
      patchGroups: environment.patchGroups.map((g) => g.name),
      patchGroupTagKey: props.patchGroupTagKey,
      windows: environment.maintenanceWindows.map((w) => w.name),
    });
    const scope_ = { complianceResourceTypes: ["AWS::EC2::Instance"] };
    const rules = new Map<CoverageCheck, ConfigConfigRule>();
    for (const [check, policyText] of Object.entries(policies) as [Exclude<CoverageCheck, "managed-by-ssm">, string][]) {
      rules.set(
        check,
        new ConfigConfigRule(this, check, {
          provider,
          name: names[check],
          description: `patchline: instance fails this when it has ${coverageChecks[check]}`,
          scope: scope_,
          source: {
            owner: "CUSTOM_POLICY",
            sourceDetail: [{ messageType: "ConfigurationItemChangeNotification" }, { messageType: "OversizedConfigurationItemChangeNotification" }],
            customPolicyDetails: { policyRuntime: "guard-2.x.x", policyText },
          },
        }),
      );
    }
    rules.set(
      "managed-by-ssm",
      new ConfigConfigRule(this, "managed-by-ssm", {
        provider,
        name: names["managed-by-ssm"],
        description: "patchline: instance fails this when Systems Manager does not manage it (AWS managed rule EC2_INSTANCE_MANAGED_BY_SSM)",
        scope: { complianceResourceTypes: ["AWS::EC2::Instance", "AWS::SSM::ManagedInstanceInventory"] },
        source: { owner: "AWS", sourceIdentifier: "EC2_INSTANCE_MANAGED_BY_SSM" },
      }),
    );
    this.rules = rules;
  }
}
