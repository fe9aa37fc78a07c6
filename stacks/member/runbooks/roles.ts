import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { PATCH_POLICY_TAG, PatchPolicy } from "../../../contracts/tags.js";
import { policyDocument, type PolicyStatement } from "../../core/iam-policy.js";
import type { Naming } from "../../naming.js";
import { RUN_COMMAND_FOLLOW_UP } from "./calls.js";
import type { SafetyNets } from "../../../environments/schema/safety-nets.js";

/** The AWS managed policy of AWS Backup's default service role: what AWS Backup needs to back up EC2 and EBS, kept current by AWS. */
export const AWS_BACKUP_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup";

export interface ServiceRoleProps {
  readonly roleName: string;
  readonly description: string;
  /** `ssm.amazonaws.com`, `backup.amazonaws.com`. */
  readonly service: string;
  readonly accountId: string;
  /** aws:SourceArn patterns the service acts for, besides aws:SourceAccount. */
  readonly sourceArns?: readonly string[];
  /**
   * False for a service that is passed the role and not documented to set aws:SourceAccount when
   * it assumes it: the condition could deny it. iam:PassRole (same account only) binds it instead.
   */
  readonly sourceAccountCondition?: boolean;
  readonly statements?: readonly PolicyStatement[];
  /** An AWS managed policy (AWS_BACKUP_POLICY_ARN) instead of statements. */
  readonly managedPolicyArn?: string;
  /** IAM is global: the provider of the account's first region (or of the region's own stack). */
  readonly provider: AwsProvider;
}

/** A role only an AWS service acting for this account may assume (confused-deputy conditions), with its one policy. */
export class ServiceRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const { provider } = props;
    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: props.sourceAccountCondition === false ? "ServicePassedThisRole" : "ServiceForThisAccountOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: [props.service] }],
        conditions: [
          ...(props.sourceAccountCondition === false ? [] : [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }]),
          ...(props.sourceArns ? [{ test: "ArnLike", variable: "aws:SourceArn", values: [...props.sourceArns] }] : []),
        ],
      },
    ]);
    this.role = new IamRole(this, "Role", {
      provider,
      name: props.roleName,
      description: `patchline: ${props.description}`,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    if (props.statements) {
      const permissions = policyDocument(this, "Permissions", provider, props.statements);
      new IamRolePolicy(this, "Policy", { provider, name: "permissions", role: this.role.name, policy: permissions.json });
    }
    if (props.managedPolicyArn) new IamRolePolicyAttachment(this, "ManagedPolicy", { provider, role: this.role.name, policyArn: props.managedPolicyArn });
  }
}

/** Automation executions of this account, in any region: the only thing the automation roles serve. */
export const automationExecutions = (accountId: string): string[] => [`arn:aws:ssm:*:${accountId}:automation-execution/*`];

export interface PatchAutomationScope {
  readonly accountId: string;
  /** The regions whose install runbooks run with the role. */
  readonly regions: readonly string[];
  readonly nets: SafetyNets;
  /** The windows' role (Run Command publishes the command's status with it, as for the window's task). */
  readonly windowRoleName: string;
  readonly backupRoleName: string;
}

/**
 * Exactly the calls of the install runbooks' steps (stacks/member/runbooks/calls.ts derives them;
 * test/runbook-permissions.synth.test.ts compares): the change calendar, the backup (only into
 * patchline's vault, only with patchline's backup role), the root-volume lookup, the window's patch
 * documents on instances tagged patch-on-schedule, following the command.
 */
export function patchAutomationStatements(scope: PatchAutomationScope, naming: Naming): PolicyStatement[] {
  const { accountId, regions, nets } = scope;
  const statements: PolicyStatement[] = [];
  if (nets.freezes.length > 0)
    statements.push({
      sid: "ReadTheChangeCalendar",
      actions: ["ssm:GetCalendarState"],
      // patchline's names are the same in every region: one ARN each keeps the policy's size independent of the regions
      resources: [`arn:aws:ssm:*:${accountId}:document/${naming.changeCalendar}`],
    });
  if (nets.backups)
    statements.push(
      {
        sid: "BackUpIntoPatchlinesVault",
        actions: ["backup:StartBackupJob"],
        resources: [`arn:aws:backup:*:${accountId}:backup-vault:${naming.backupVault}`],
      },
      // DescribeBackupJob supports no resource-level permissions
      { sid: "FollowBackupJobs", actions: ["backup:DescribeBackupJob"], resources: ["*"] },
      {
        sid: "HandTheBackupRoleToAwsBackup",
        actions: ["iam:PassRole"],
        resources: [`arn:aws:iam::${accountId}:role/${scope.backupRoleName}`],
        conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["backup.amazonaws.com"] }],
      },
    );
  if (nets.snapshots)
    // the root volume of the instance; neither supports resource-level permissions
    statements.push({ sid: "FindRootVolumes", actions: ["ec2:DescribeInstances", "ec2:DescribeVolumes"], resources: ["*"] });
  statements.push(
    {
      // SendCommand is authorized on the document, the output bucket and each instance
      sid: "RunTheWindowsPatchDocumentsWithOutputToTheCentralBucket",
      actions: ["ssm:SendCommand"],
      resources: [...regions.flatMap((region) => nets.documents.map((document) => `arn:aws:ssm:${region}::document/${document}`)), naming.logBucketArn],
    },
    {
      sid: "PatchInstancesTaggedPatchOnSchedule",
      actions: ["ssm:SendCommand"],
      resources: regions.flatMap((region) => [`arn:aws:ec2:${region}:${accountId}:instance/*`, `arn:aws:ssm:${region}:${accountId}:managed-instance/*`]),
      conditions: [{ test: "StringEquals", variable: `ssm:resourceTag/${PATCH_POLICY_TAG}`, values: [PatchPolicy.ON_SCHEDULE] }],
    },
    // these Run Command actions support no resource-level permissions
    { sid: "FollowTheCommand", actions: [...RUN_COMMAND_FOLLOW_UP], resources: ["*"] },
    {
      sid: "HandTheWindowRoleToRunCommandForNotifications",
      actions: ["iam:PassRole"],
      resources: [`arn:aws:iam::${accountId}:role/${scope.windowRoleName}`],
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ssm.amazonaws.com"] }],
    },
  );
  return statements;
}

export interface PatchAutomationRolesProps {
  readonly scope: PatchAutomationScope;
  readonly roleName: string;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/** The install runbooks' role and, when windows back up, AWS Backup's role: per account (or per region in a stack of its own). */
export class PatchAutomationRoles extends Construct {
  readonly automation: IamRole;
  readonly backup?: IamRole;

  constructor(scope: Construct, id: string, props: PatchAutomationRolesProps) {
    super(scope, id);
    const { accountId, nets } = props.scope;
    this.automation = new ServiceRole(this, "Automation", {
      roleName: props.roleName,
      description: "runs the install runbooks of this account's maintenance windows (change calendar, backup, patch)",
      service: "ssm.amazonaws.com",
      accountId,
      sourceArns: automationExecutions(accountId),
      statements: patchAutomationStatements(props.scope, props.naming),
      provider: props.provider,
    }).role;
    if (nets.backups)
      this.backup = new ServiceRole(this, "Backup", {
        roleName: props.scope.backupRoleName,
        description: "AWS Backup takes the pre-patch backups of this account's instances with it",
        service: "backup.amazonaws.com",
        accountId,
        // AWS Backup's confused-deputy guidance covers resource policies (SNS, KMS), not the role it
        // is passed, and its default service role trusts it without conditions: aws:SourceAccount
        // is not documented for StartBackupJob's assume, so requiring it could fail every backup.
        // Only principals with iam:PassRole on this role (this account's automation role) can hand it over.
        sourceAccountCondition: false,
        managedPolicyArn: AWS_BACKUP_POLICY_ARN,
        provider: props.provider,
      }).role;
  }
}
