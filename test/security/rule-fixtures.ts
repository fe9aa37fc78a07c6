import type { Block, TerraformJson } from "../support/terraform-json.js";
import type { Rule } from "./rule.js";

/** A stack with one role whose inline policy (kind "identity") or trust policy is the given statements. */
export function withRolePolicy(statements: Block[], attribute: "policy" | "assume_role_policy" = "policy"): TerraformJson {
  const resource: Record<string, Record<string, Block>> = attribute === "policy"
    ? { aws_iam_role_policy: { p: { policy: "${data.aws_iam_policy_document.doc.json}" } } }
    : { aws_iam_role: { r: { assume_role_policy: "${data.aws_iam_policy_document.doc.json}" } } };
  return { data: { aws_iam_policy_document: { doc: { statement: statements } } }, resource };
}

export function withBucketPolicy(statements: Block[]): TerraformJson {
  return {
    data: { aws_iam_policy_document: { doc: { statement: statements } } },
    resource: { aws_s3_bucket_policy: { p: { bucket: "${aws_s3_bucket.b.id}", policy: "${data.aws_iam_policy_document.doc.json}" } } },
  };
}

/** The messages of what `rule` finds in `json`. */
export async function findings(rule: Rule, json: TerraformJson): Promise<string[]> {
  return (await rule.check(json)).map((f) => f.message);
}

export const bucket = (extra: Record<string, Record<string, Block>> = {}): TerraformJson => ({ resource: { aws_s3_bucket: { b: { bucket: "x" } }, ...extra } });

export const one = (type: string, body: Block): TerraformJson => ({ resource: { [type]: { r: body } } });
export const key = "arn:aws:kms:us-east-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab";
