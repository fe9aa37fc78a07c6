import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { BackupTags } from "../../../contracts/install-runbook.js";
import type { PolicyStatement } from "../../core/iam-policy.js";
import type { Naming } from "../../naming.js";
import { CentralAccessRole } from "../central-access-role.js";
import { automationExecutions, ServiceRole } from "./roles.js";

/**
 * Exactly the calls of the restore runbook's steps: check the backup (read calls without
 * resource-level permissions), replace the root volume of an instance only from an image or
 * snapshot tagged as some instance's pre-patch backup, tag the task as it is created, follow it.
 */
export function restoreAutomationStatements(accountId: string, regions: readonly string[]): PolicyStatement[] {
  const backups = regions.flatMap((region) => [`arn:aws:ec2:${region}::image/*`, `arn:aws:ec2:${region}::snapshot/*`]);
  return [
    { sid: "CheckBackupsAndFollowRestores", actions: ["ec2:DescribeImages", "ec2:DescribeReplaceRootVolumeTasks", "ec2:DescribeSnapshots"], resources: ["*"] },
    {
      sid: "ReplaceRootVolumesOfThisAccountsInstances",
      actions: ["ec2:CreateReplaceRootVolumeTask"],
      resources: regions.flatMap((region) => [`arn:aws:ec2:${region}:${accountId}:instance/*`, `arn:aws:ec2:${region}:${accountId}:volume/*`]),
    },
    {
      sid: "OnlyFromPrePatchBackups",
      actions: ["ec2:CreateReplaceRootVolumeTask"],
      resources: backups,
      conditions: [{ test: "Null", variable: `aws:ResourceTag/${BackupTags.instanceId}`, values: ["false"] }],
    },
    {
      sid: "TheRestoreTaskItself",
      actions: ["ec2:CreateReplaceRootVolumeTask"],
      resources: regions.map((region) => `arn:aws:ec2:${region}:${accountId}:replace-root-volume-task/*`),
    },
    {
      sid: "TagRestoreTasksWhenCreated",
      actions: ["ec2:CreateTags"],
      resources: regions.map((region) => `arn:aws:ec2:${region}:${accountId}:replace-root-volume-task/*`),
      conditions: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateReplaceRootVolumeTask"] }],
    },
  ];
}

/**
 * What `npm run restore` calls (tools/restore): find the instance's backups, start the restore
 * runbook with the restore automation role, follow the execution. Nothing else: the steps run with
 * the automation role, which only the restore runbook is given.
 */
export function restoreOperatorStatements(accountId: string, naming: Naming): PolicyStatement[] {
  return [
    // neither supports resource-level permissions
    { sid: "FindPrePatchBackups", actions: ["ec2:DescribeImages", "ec2:DescribeSnapshots"], resources: ["*"] },
    {
      sid: "StartTheRestoreRunbookOnly",
      actions: ["ssm:StartAutomationExecution"],
      // the runbook has one name in every region of the account that has it
      resources: [
        `arn:aws:ssm:*:${accountId}:document/${naming.restoreRunbook}`,
        `arn:aws:ssm:*:${accountId}:automation-definition/${naming.restoreRunbook}:*`,
        `arn:aws:ssm:*:${accountId}:automation-execution/*`,
      ],
    },
    { sid: "FollowRestores", actions: ["ssm:GetAutomationExecution"], resources: [`arn:aws:ssm:*:${accountId}:automation-execution/*`] },
    {
      sid: "HandTheRestoreRoleToAutomation",
      actions: ["iam:PassRole"],
      resources: [`arn:aws:iam::${accountId}:role/${naming.restoreAutomationRole}`],
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ssm.amazonaws.com"] }],
    },
  ];
}

export interface RestoreRolesProps {
  readonly accountId: string;
  /** Every region of the account with backups (region stacks' regions included: the roles are account-wide). */
  readonly regions: readonly string[];
  /** Central roles whose people restore (`org.restoreOperatorRoleArns`); none: no operator role. */
  readonly operatorRoleArns: readonly string[];
  readonly organizationId: string;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/** The restore runbook's role and the role `npm run restore` assumes, in an account whose windows back up. */
export class RestoreRoles extends Construct {
  constructor(scope: Construct, id: string, props: RestoreRolesProps) {
    super(scope, id);
    const { accountId, regions, naming, provider } = props;
    new ServiceRole(this, "Automation", {
      roleName: naming.restoreAutomationRole,
      description: "runs the restore runbook: replaces an instance's root volume with its pre-patch backup",
      service: "ssm.amazonaws.com",
      accountId,
      sourceArns: automationExecutions(accountId),
      statements: restoreAutomationStatements(accountId, regions),
      provider,
    });
    if (props.operatorRoleArns.length === 0) return;
    new CentralAccessRole(this, "Operator", {
      roleName: naming.restoreOperatorRole,
      description: "npm run restore: finds an instance's pre-patch backups and starts the restore runbook",
      trustedRoleArns: props.operatorRoleArns,
      organizationId: props.organizationId,
      statements: restoreOperatorStatements(accountId, naming),
      provider,
    });
  }
}
