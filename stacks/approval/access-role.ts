import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { BACKUP_APPROVAL_TAG } from "../../contracts/approval.js";
import type { Naming } from "../naming.js";
import { PatchPolicy, PATCH_POLICY_TAG } from "../../contracts/tags.js";
import { CentralAccessRole } from "../member/central-access-role.js";
import type { PolicyStatement } from "../core/iam-policy.js";

export interface ApprovalAccessRoleProps {
  readonly accountId: string;
  /** Regions of the account: every instance ARN the role may touch is in one of them. */
  readonly regions: readonly string[];
  readonly organizationId: string;
  /** The patch documents the workflow sends in the account's environment (approvalPatchDocuments): the role may send only these. */
  readonly documents: readonly string[];
  /** The environment's change calendar, when it has freezes: the patch step reads its state. */
  readonly changeCalendar?: string;
  readonly naming: Naming;
  /** IAM is global: the provider of the account's first region creates the role. */
  readonly provider: AwsProvider;
}

/**
 * The member role the central approval workflow's functions assume: describe the instance, back it
 * up (only instances tagged for approval, only AMIs tagged with their approval), read its patch
 * state and missing patches, read the change calendar, patch it (only with the patch documents of the environment's windows,
 * only on instances tagged for approval), follow the command. Exactly the calls of
 * functions/approval/instance and functions/approval/patch. The hook documents of
 * AWS-RunPatchBaselineWithHooks need no grant here: SSM Agent runs them on the instance
 * (aws:runDocument) and fetches them with the instance's own credentials, as for the windows.
 */
export function approvalAccessStatements(
  accountId: string,
  regions: readonly string[],
  naming: Naming,
  documents: readonly string[],
  changeCalendar?: string,
): PolicyStatement[] {
  const instances = regions.map((region) => `arn:aws:ec2:${region}:${accountId}:instance/*`);
  const backups = regions.flatMap((region) => [`arn:aws:ec2:${region}::image/*`, `arn:aws:ec2:${region}::snapshot/*`]);
  return [
    {
      // these read calls support no resource-level permissions
      sid: "ReadInstancesImagesAndCommands",
      actions: ["ec2:DescribeImages", "ec2:DescribeInstances", "ssm:GetCommandInvocation"],
      resources: ["*"],
    },
    {
      sid: "BackUpInstancesTaggedForApproval",
      actions: ["ec2:CreateImage"],
      resources: instances,
      conditions: [{ test: "StringEquals", variable: `aws:ResourceTag/${PATCH_POLICY_TAG}`, values: [PatchPolicy.ON_APPROVAL] }],
    },
    {
      sid: "CreateBackupsTaggedWithTheirApproval",
      actions: ["ec2:CreateImage"],
      resources: backups,
      conditions: [{ test: "Null", variable: `aws:RequestTag/${BACKUP_APPROVAL_TAG}`, values: ["false"] }],
    },
    {
      sid: "TagBackupsWhenCreated",
      actions: ["ec2:CreateTags"],
      resources: backups,
      conditions: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateImage"] }],
    },
    ...(changeCalendar
      ? // the calendar has one name in every region: one ARN keeps the policy's size independent of the regions
        [{ sid: "ReadTheChangeCalendar", actions: ["ssm:GetCalendarState"], resources: [`arn:aws:ssm:*:${accountId}:document/${changeCalendar}`] }]
      : []),
    // DescribeInstancePatches: the missing patches an approval.trigger is matched against
    { sid: "ReadPatchState", actions: ["ssm:DescribeInstancePatchStates", "ssm:DescribeInstancePatches"], resources: instances },
    {
      // SendCommand is authorized on the document, the output bucket and each instance
      sid: "RunTheWindowsPatchDocumentsWithOutputToTheCentralBucket",
      actions: ["ssm:SendCommand"],
      resources: [...regions.flatMap((region) => documents.map((document) => `arn:aws:ssm:${region}::document/${document}`)), naming.logBucketArn],
    },
    {
      sid: "PatchInstancesTaggedForApproval",
      actions: ["ssm:SendCommand"],
      resources: instances,
      conditions: [{ test: "StringEquals", variable: `ssm:resourceTag/${PATCH_POLICY_TAG}`, values: [PatchPolicy.ON_APPROVAL] }],
    },
  ];
}

/** The approval access role of one member account, trusted by the two central functions that make member calls. */
export class ApprovalAccessRole extends Construct {
  readonly role: CentralAccessRole;

  constructor(scope: Construct, id: string, props: ApprovalAccessRoleProps) {
    super(scope, id);
    const { naming } = props;
    this.role = new CentralAccessRole(this, "Role", {
      roleName: naming.approvalAccessRole,
      description: "the central approval workflow looks up, backs up and patches instances tagged patch-policy=patch-on-approval",
      trustedRoleArns: [naming.centralRoleArn(naming.approvalFunction("instance")), naming.centralRoleArn(naming.approvalFunction("patch"))],
      organizationId: props.organizationId,
      statements: approvalAccessStatements(props.accountId, props.regions, naming, props.documents, props.changeCalendar),
      provider: props.provider,
    });
  }
}
