import type { Org } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";
import type { PolicyCondition, PolicyStatement } from "./iam-policy.js";

/**
 * Key administration without any cryptographic operation (the AWS console's "key administrators"
 * set, spelled out so that no wildcard can match Encrypt, Decrypt, GenerateMac or VerifyMac).
 * kms:CreateGrant is left out too: a grant is a way to hand out cryptographic use. An
 * administrator can still rewrite the policy (kms:PutKeyPolicy): that is what administering means,
 * and every such change is a CloudTrail event and, for the deploy role, a reviewed plan.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
] as const;

/** What a read-only plan reads of a key to refresh its state (aws_kms_key, aws_kms_alias). */
export const KEY_METADATA_ACTIONS = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"] as const;

/** Who the key policies of the central account name, from config. */
export interface KeyPrincipals {
  readonly accountId: string;
  /** The deploy role first, then `org.keyAdministratorRoleArns`. */
  readonly administrators: readonly string[];
  /** The role pull-request plans assume (`org.planRoleName`), when there is one. */
  readonly planRole?: string;
  /** The deploy role: Terraform writes and reads data encrypted with the central key. */
  readonly deployRole: string;
  /** `org.keyUserRoleArns`: people who read patchline's encrypted data. */
  readonly users: readonly string[];
}

/**
 * The deploy role of the central account always administers the keys: Terraform creates them and
 * puts their policies on every apply, and KMS refuses a policy that would stop the caller from
 * putting the next one (the lockout safety check, which patchline never bypasses), so a policy
 * without the deploy role would fail the deploy rather than lock it out.
 */
export function keyPrincipals(org: Pick<Org, "central" | "planRoleName" | "keyAdministratorRoleArns" | "keyUserRoleArns">, naming: Naming): KeyPrincipals {
  const accountId = org.central.accountId;
  const deployRole = naming.deployRoleArn(accountId);
  return {
    accountId,
    deployRole,
    administrators: [deployRole, ...org.keyAdministratorRoleArns.filter((arn) => arn !== deployRole)],
    planRole: org.planRoleName === undefined ? undefined : naming.planRoleArn(accountId),
    users: org.keyUserRoleArns,
  };
}

/**
 * The principal and condition that name exact roles of this account in a key policy. The principal
 * is the account and the roles are an `aws:PrincipalArn` condition, not role ARNs as principals:
 * KMS turns a role principal into the role's unique id when the policy is put, so it must exist
 * first (the key would depend on every role that uses it), and a role deleted and created again
 * under the same name would silently lose access until the policy is put again. The condition
 * matches the role's sessions by ARN, survives re-creation, and names nobody else of the account.
 */
export function namedRoles(accountId: string, roleArns: readonly string[]): Pick<PolicyStatement, "principals"> & { readonly conditions: PolicyCondition[] } {
  return {
    principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${accountId}:root`] }],
    conditions: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [...roleArns] }],
  };
}

/** The statements every patchline key starts with: its administrators, and the plan role's reads. */
export function administrationStatements(principals: KeyPrincipals): PolicyStatement[] {
  const { accountId } = principals;
  return [
    { sid: "KeyAdministratorsAdministerOnly", actions: [...KEY_ADMINISTRATION_ACTIONS], resources: ["*"], ...namedRoles(accountId, principals.administrators) },
    ...(principals.planRole
      ? [{ sid: "PlanRoleReadsKeyMetadata", actions: [...KEY_METADATA_ACTIONS], resources: ["*"], ...namedRoles(accountId, [principals.planRole]) }]
      : []),
  ];
}
