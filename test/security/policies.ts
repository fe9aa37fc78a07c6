import { parseReference, resourcesOf, type Block, type TerraformJson } from "../support/terraform-json.js";

export interface IamPrincipal {
  readonly type: string;
  readonly identifiers: readonly string[];
}
export interface IamCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}
export interface IamStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly IamPrincipal[];
  readonly conditions: readonly IamCondition[];
}

/** How a policy document is used: what its `Resource: "*"` and principals mean depends on it. */
export type PolicyKind = "identity" | "trust" | "resource" | "key";

/** Resource attributes that hold an IAM policy, and what kind of policy. */
export const policyAttributes: ReadonlyArray<{ type: string; attribute: string; kind: PolicyKind }> = [
  { type: "aws_iam_role_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_role", attribute: "assume_role_policy", kind: "trust" },
  { type: "aws_kms_key", attribute: "policy", kind: "key" },
  { type: "aws_s3_bucket_policy", attribute: "policy", kind: "resource" },
  { type: "aws_sns_topic_policy", attribute: "policy", kind: "resource" },
  { type: "aws_sqs_queue_policy", attribute: "policy", kind: "resource" },
  { type: "aws_cloudwatch_event_bus_policy", attribute: "policy", kind: "resource" },
  { type: "aws_secretsmanager_secret_policy", attribute: "policy", kind: "resource" },
  { type: "aws_cloudwatch_log_resource_policy", attribute: "policy_document", kind: "resource" },
];

export interface PolicyUsage {
  readonly kind: PolicyKind;
  /** `type.name.attribute` of the resource using the policy. */
  readonly usedBy: string;
  /** The aws_iam_policy_document it references, or undefined for an inline policy string. */
  readonly document?: string;
  readonly inline?: unknown;
}

/** Every policy attribute in the stack and the document it points at. */
export function policyUsages(json: TerraformJson): PolicyUsage[] {
  const usages: PolicyUsage[] = [];
  for (const { type, attribute, kind } of policyAttributes) {
    for (const [name, body] of resourcesOf(json, type)) {
      const value = body[attribute];
      if (value === undefined) continue;
      const ref = parseReference(value);
      const usedBy = `${type}.${name}.${attribute}`;
      if (ref && ref.type === "data.aws_iam_policy_document" && ref.attribute === "json") usages.push({ kind, usedBy, document: ref.name });
      else usages.push({ kind, usedBy, inline: value });
    }
  }
  return usages;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function toStatement(raw: Block): IamStatement {
  return {
    sid: typeof raw.sid === "string" ? raw.sid : undefined,
    effect: raw.effect === "Deny" ? "Deny" : "Allow",
    actions: list(raw.actions),
    notActions: list(raw.not_actions),
    resources: list(raw.resources),
    notResources: list(raw.not_resources),
    principals: (Array.isArray(raw.principals) ? (raw.principals as Block[]) : []).map((p) => ({ type: String(p.type), identifiers: list(p.identifiers) })),
    conditions: (Array.isArray(raw.condition) ? (raw.condition as Block[]) : []).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: list(c.values),
    })),
  };
}

export interface PolicyDocument {
  readonly name: string;
  readonly statements: readonly IamStatement[];
  /** Kinds of the resources using it (a document may be unused in a test fixture). */
  readonly kinds: readonly PolicyKind[];
}

export function policyDocuments(json: TerraformJson): PolicyDocument[] {
  const usages = policyUsages(json);
  return Object.entries(json.data?.aws_iam_policy_document ?? {}).map(([name, body]) => ({
    name,
    statements: (Array.isArray(body.statement) ? (body.statement as Block[]) : []).map(toStatement),
    kinds: [...new Set(usages.filter((u) => u.document === name).map((u) => u.kind))],
  }));
}

export const statementLabel = (doc: PolicyDocument, s: IamStatement, index: number): string => `${doc.name} statement ${s.sid ?? index}`;
