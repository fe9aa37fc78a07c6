import type { PolicyStatement } from "../core/iam-policy.js";

/**
 * Policy documents as AWS receives them, for measuring. patchline writes every policy through an
 * `aws_iam_policy_document` data source (stacks/core/iam-policy.ts), which Terraform renders
 * at plan time; this is the same rendering, so a size check at synth measures the real document:
 * - hashicorp/terraform-provider-aws internal/service/iam/policy_document_data_source.go and
 *   iam_policy_model.go: `Version` then `Statement`; each statement `Sid` (always), `Effect`,
 *   `Action`, `Resource`, `Principal`, `Condition`; sets (actions, resources, identifiers) are
 *   de-duplicated, a single value becomes a string; `{"*": "*"}` becomes `"*"`; conditions with
 *   the same test share one operator object; `&{` becomes `${`.
 * - Go's encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029 as `\u003c`…; Terraform stores
 *   the JSON indented, aws_s3_bucket_policy sends it compact (`structure.NormalizeJsonString`).
 */
export interface RenderedPolicy {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

const stringOrList = (values: readonly string[]): string | string[] => {
  const unique = [...new Set(values)];
  // the provider sorts set values in reverse; order does not change the size
  return unique.length === 1 ? unique[0]! : unique.sort().reverse();
};

const policyVariables = (value: string) => value.replaceAll("&{", "${");

function principals(statement: PolicyStatement): unknown {
  const blocks = statement.principals ?? [];
  if (blocks.length === 1 && blocks[0]!.type === "*" && new Set(blocks[0]!.identifiers).size === 1 && blocks[0]!.identifiers[0] === "*") return "*";
  const byType: Record<string, string[]> = {};
  for (const block of blocks) (byType[block.type] ??= []).push(...block.identifiers.map(policyVariables));
  return Object.fromEntries(Object.entries(byType).map(([type, ids]) => [type, stringOrList(ids)]));
}

function conditions(statement: PolicyStatement): unknown {
  const byTest: Record<string, Record<string, string | string[]>> = {};
  for (const c of statement.conditions ?? []) {
    const values = c.values.map(policyVariables);
    const operator = (byTest[c.test] ??= {});
    const existing = operator[c.variable];
    operator[c.variable] = values.length === 1 && existing === undefined ? values[0]! : [...(existing === undefined ? [] : [existing].flat()), ...values];
  }
  return byTest;
}

/** The document `aws_iam_policy_document` renders for these statements. */
export function renderPolicy(statements: readonly PolicyStatement[]): RenderedPolicy {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect ?? "Allow",
      ...(s.actions.length > 0 ? { Action: stringOrList(s.actions) } : {}),
      ...(s.resources && s.resources.length > 0 ? { Resource: stringOrList(s.resources.map(policyVariables)) } : {}),
      ...(s.principals && s.principals.length > 0 ? { Principal: principals(s) } : {}),
      ...(s.conditions && s.conditions.length > 0 ? { Condition: conditions(s) } : {}),
    })),
  };
}

/** Compact JSON the way Go's encoding/json writes it. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Bytes of a resource policy as the service receives it (compact UTF-8 JSON): S3 bucket policies. */
export const policyBytes = (statements: readonly PolicyStatement[]): number => Buffer.byteLength(goJson(renderPolicy(statements)), "utf8");

/** IAM's measure of a policy: its characters, white space not counted (IAM and AWS STS quotas). */
export const iamPolicyCharacters = (statements: readonly PolicyStatement[]): number => goJson(renderPolicy(statements)).replace(/\s/g, "").length;
