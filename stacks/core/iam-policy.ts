import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyPrincipal {
  readonly type: "AWS" | "Service" | "*";
  readonly identifiers: readonly string[];
}

export interface PolicyStatement {
  /** Statement id: says why the permission exists. */
  readonly sid: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  /** Omitted only in trust policies, where the role itself is the resource. */
  readonly resources?: readonly string[];
  readonly principals?: readonly PolicyPrincipal[];
  readonly conditions?: readonly PolicyCondition[];
}

/**
 * The one way patchline writes IAM policies: an aws_iam_policy_document data source, rendered by
 * Terraform, so every policy in the synthesized JSON has the same inspectable shape.
 * IAM policy variables are written `&{aws:PrincipalAccount}` (the data source's escape for `${...}`).
 */
export function policyDocument(scope: Construct, id: string, provider: AwsProvider, statements: readonly PolicyStatement[]): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, {
    provider,
    statement: statements.map((s) => ({
      sid: s.sid,
      effect: s.effect ?? "Allow",
      actions: [...s.actions],
      resources: s.resources ? [...s.resources] : undefined,
      principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
      condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
    })),
  });
}
