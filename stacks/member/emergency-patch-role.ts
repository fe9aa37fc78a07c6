import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { emergencyFunctionNames } from "../../contracts/functions.js";
import { PATCH_POLICY_TAG, PatchPolicy, type PatchGroupTagKey } from "../../contracts/tags.js";
import type { ConfiguredEnvironment } from "../../environments/schema/index.js";
import type { PolicyStatement } from "../core/iam-policy.js";
import type { Naming } from "../naming.js";
import { CentralAccessRole } from "./central-access-role.js";
import { patchGroupCommands } from "./patch-commands.js";

/** What an emergency run may patch in an environment's accounts: the patch groups its windows install, with which documents. */
export interface EmergencyPatchScope {
  /** The patch groups of the windows that install (a window that only scans patches nothing, nor does an emergency run). */
  readonly patchGroups: readonly string[];
  /** Those windows' install documents, and AWS-RunPatchBaseline, which a run with named patches sends (the hooks document takes no InstallOverrideList). */
  readonly documents: readonly string[];
}

/** The environment's emergency scope, or undefined when no window of it installs (no role then: a run could patch nothing). */
export function emergencyPatchScope(environment: ConfiguredEnvironment, naming: Naming): EmergencyPatchScope | undefined {
  // the reboot option of scan-only windows' commands does not matter: those are left out
  const installing = patchGroupCommands(environment, naming, "NoReboot").filter((c) => c.windowInstalls);
  if (installing.length === 0) return undefined;
  return {
    patchGroups: installing.flatMap((c) => c.patchGroups),
    documents: [...new Set(["AWS-RunPatchBaseline", ...installing.map((c) => c.document)])].sort(),
  };
}

/**
 * Exactly the calls of functions/emergency/commands: SendCommand with the windows' patch documents
 * and output to the central bucket, on instances in the account's regions that the windows' install
 * targets select (tagged patch-policy=patch-on-schedule and with one of the environment's patch
 * groups: Run Command authorizes each instance the command's targets resolve to), and the two
 * listings that follow a command, which support no resource-level permissions.
 */
export function emergencyPatchStatements(
  accountId: string,
  regions: readonly string[],
  naming: Naming,
  scope: EmergencyPatchScope,
  patchGroupTagKey: PatchGroupTagKey,
): PolicyStatement[] {
  return [
    { sid: "FollowTheRunsCommands", actions: ["ssm:ListCommandInvocations", "ssm:ListCommands"], resources: ["*"] },
    {
      // SendCommand is authorized on the document, the output bucket and each instance
      sid: "RunTheWindowsPatchDocumentsWithOutputToTheCentralBucket",
      actions: ["ssm:SendCommand"],
      resources: [...regions.flatMap((region) => scope.documents.map((document) => `arn:aws:ssm:${region}::document/${document}`)), naming.logBucketArn],
    },
    {
      sid: "PatchInstancesTheWindowsInstallTargetsSelect",
      actions: ["ssm:SendCommand"],
      // EC2 instances and hybrid nodes, as the windows' targets select both
      resources: regions.flatMap((region) => [`arn:aws:ec2:${region}:${accountId}:instance/*`, `arn:aws:ssm:${region}:${accountId}:managed-instance/*`]),
      conditions: [
        { test: "StringEquals", variable: `ssm:resourceTag/${PATCH_POLICY_TAG}`, values: [PatchPolicy.ON_SCHEDULE] },
        { test: "StringEquals", variable: `ssm:resourceTag/${patchGroupTagKey}`, values: [...scope.patchGroups] },
      ],
    },
  ];
}

export interface EmergencyPatchRoleProps {
  readonly accountId: string;
  /** Regions of the account: every instance ARN the role may touch is in one of them. */
  readonly regions: readonly string[];
  readonly organizationId: string;
  readonly scope: EmergencyPatchScope;
  readonly patchGroupTagKey: PatchGroupTagKey;
  readonly naming: Naming;
  /** IAM is global: the provider of the account's first region creates the role. */
  readonly provider: AwsProvider;
}

/** The role an emergency run's commands function assumes in a member account, trusted by that function's role only. */
export class EmergencyPatchRole extends Construct {
  readonly role: CentralAccessRole;

  constructor(scope: Construct, id: string, props: EmergencyPatchRoleProps) {
    super(scope, id);
    const { naming } = props;
    this.role = new CentralAccessRole(this, "Role", {
      roleName: naming.emergencyPatchRole,
      description: "an emergency patch run (npm run patch-now) sends the windows' install commands and follows them",
      trustedRoleArns: [naming.centralRoleArn(naming.centralFunction(emergencyFunctionNames.commands))],
      organizationId: props.organizationId,
      statements: emergencyPatchStatements(props.accountId, props.regions, naming, props.scope, props.patchGroupTagKey),
      provider: props.provider,
    });
  }
}
