import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { policyDocument, type PolicyStatement } from "../core/iam-policy.js";
import { PATCH_TASK_DOCUMENTS } from "../../contracts/patch-documents.js";

export interface MaintenanceWindowRoleProps {
  readonly accountId: string;
  /** Regions the account's windows run in: SendCommand is scoped to their documents and instances. */
  readonly regions: readonly string[];
  readonly naming: Naming;
  /** IAM is global: the provider of the account's first region creates the role. */
  readonly provider: AwsProvider;
  /** The role's name. @default naming.maintenanceWindowRole (a region in a stack of its own has its own role) */
  readonly roleName?: string;
  /** Install tasks run the install runbook (backups or freezes). @default - Run Command tasks only */
  readonly automation?: WindowAutomation;
}

/**
 * What the windows' role may do in the account's regions (its one inline policy). The policy grows
 * with the account's regions: stacks/limits checks it against IAM's role policy size.
 */
export function maintenanceWindowRoleStatements(
  accountId: string,
  regions: readonly string[],
  naming: Naming,
  roleName = naming.maintenanceWindowRole,
  automation?: WindowAutomation,
): PolicyStatement[] {
  return [
    ...(automation ? installRunbookStatements(accountId, naming, automation) : []),
    {
      sid: "RunPatchDocumentsOnThisAccountsInstances",
      actions: ["ssm:SendCommand"],
      resources: regions.flatMap((region) => [
        ...PATCH_TASK_DOCUMENTS.map((doc) => `arn:aws:ssm:${region}::document/${doc}`),
        `arn:aws:ec2:${region}:${accountId}:instance/*`,
        `arn:aws:ssm:${region}:${accountId}:managed-instance/*`,
      ]),
    },
    {
      // these Run Command actions support no resource-level permissions
      sid: "FollowCommands",
      actions: ["ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:ListCommands"],
      resources: ["*"],
    },
    {
      sid: "PublishCommandStatus",
      actions: ["sns:Publish"],
      resources: regions.map((region) => `arn:aws:sns:${region}:${accountId}:${naming.patchCommandsTopic}`),
    },
    {
      sid: "HandThisRoleToRunCommandForNotifications",
      actions: ["iam:PassRole"],
      resources: [`arn:aws:iam::${accountId}:role/${roleName}`],
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ssm.amazonaws.com"] }],
    },
  ];
}

/** Install tasks that run patchline's install runbook (stacks/member/runbooks): the role their steps run with. */
export interface WindowAutomation {
  readonly automationRoleName: string;
}

/**
 * An Automation install task: the window starts the install runbook (only patchline's, `<prefix>-install-*`)
 * per target instance, follows the executions, and hands the runbooks their role.
 */
function installRunbookStatements(accountId: string, naming: Naming, automation: WindowAutomation): PolicyStatement[] {
  const runbooks = naming.installRunbook("*");
  // the runbooks are named alike in every region: one ARN each keeps the policy's size independent of the regions
  return [
    {
      sid: "StartTheInstallRunbooks",
      actions: ["ssm:StartAutomationExecution"],
      resources: [
        `arn:aws:ssm:*:${accountId}:document/${runbooks}`,
        `arn:aws:ssm:*:${accountId}:automation-definition/${runbooks}:*`,
        `arn:aws:ssm:*:${accountId}:automation-execution/*`,
      ],
    },
    { sid: "FollowTheInstallRunbooks", actions: ["ssm:GetAutomationExecution"], resources: [`arn:aws:ssm:*:${accountId}:automation-execution/*`] },
    {
      sid: "HandTheAutomationRoleToTheRunbooks",
      actions: ["iam:PassRole"],
      resources: [`arn:aws:iam::${accountId}:role/${automation.automationRoleName}`],
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ssm.amazonaws.com"] }],
    },
  ];
}

/**
 * The custom service role of the account's maintenance windows (AWS recommends it over the
 * service-linked role): send the patch documents to this account's instances, follow the commands,
 * publish their status to the account's topics. Only SSM acting for this account may assume it.
 */
export class MaintenanceWindowRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MaintenanceWindowRoleProps) {
    super(scope, id);
    const { accountId, regions, naming, provider } = props;
    const roleName = props.roleName ?? naming.maintenanceWindowRole;
    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: "SystemsManagerForThisAccountOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ssm.amazonaws.com"] }],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:ssm:*:${accountId}:*`] },
        ],
      },
    ]);
    this.role = new IamRole(this, "Role", {
      provider,
      name: roleName,
      description: "patchline: runs the patch tasks of this account's maintenance windows",
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    const permissions = policyDocument(this, "Permissions", provider, maintenanceWindowRoleStatements(accountId, regions, naming, roleName, props.automation));
    new IamRolePolicy(this, "Policy", { provider, name: "patch-tasks", role: this.role.name, policy: permissions.json });
  }
}
