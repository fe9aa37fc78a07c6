import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../core/iam-policy.js";

export interface CentralAccessRoleProps {
  /** Physical name (from `Naming`), the same in every member account. */
  readonly roleName: string;
  readonly description: string;
  /** ARNs of the central roles that may assume this one (state machine or Lambda roles). */
  readonly trustedRoleArns: readonly string[];
  readonly organizationId: string;
  /** The calls the central workflow makes in this account, nothing more. */
  readonly statements: readonly PolicyStatement[];
  /** IAM is global: the provider of the account's first region creates the role. */
  readonly provider: AwsProvider;
}

/**
 * A role in a member account that central workflow roles assume for their cross-account calls
 * (Step Functions tasks through `Credentials`, Lambdas through STS). It trusts the named central
 * roles only (not the central account), and only while they belong to the organization.
 * The central stack deploys first: IAM rejects a trust policy that names a role that does not exist.
 */
export class CentralAccessRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: CentralAccessRoleProps) {
    super(scope, id);
    const { provider } = props;
    const trust = policyDocument(this, "Trust", provider, [
      {
        sid: "CentralWorkflowRolesOnly",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "AWS", identifiers: [...props.trustedRoleArns] }],
        conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: [props.organizationId] }],
      },
    ]);
    this.role = new IamRole(this, "Role", {
      provider,
      name: props.roleName,
      description: `patchline: ${props.description}`,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    const permissions = policyDocument(this, "Permissions", provider, props.statements);
    new IamRolePolicy(this, "Policy", { provider, name: "central-access", role: this.role.name, policy: permissions.json });
  }
}

/**
 * The statement a central role needs to assume a member access role: the role name in any account
 * of the organization, never outside it.
 */
export function assumeMemberRoleStatement(sid: string, roleName: string, organizationId: string): PolicyStatement {
  return {
    sid,
    actions: ["sts:AssumeRole"],
    resources: [`arn:aws:iam::*:role/${roleName}`],
    conditions: [{ test: "StringEquals", variable: "aws:ResourceOrgID", values: [organizationId] }],
  };
}
