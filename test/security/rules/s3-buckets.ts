import { policyDocuments } from "../policies.js";
import type { Finding, Rule } from "../rule.js";
import { bodiesOf, parseReference, resourcesOf, type Block, type TerraformJson } from "../../support/terraform-json.js";

/** Resources of `type` whose `bucket` references the aws_s3_bucket `name`. */
function companionsOf(json: TerraformJson, type: string, bucketName: string): Block[] {
  return bodiesOf(json, type).filter((body) => parseReference(body.bucket)?.name === bucketName);
}

function eachBucket(json: TerraformJson, check: (name: string) => string | undefined): Finding[] {
  return resourcesOf(json, "aws_s3_bucket").flatMap(([name]) => {
    const message = check(name);
    return message ? [{ resource: `aws_s3_bucket.${name}`, message }] : [];
  });
}

export const s3Encrypted: Rule = {
  id: "S3-1",
  description: "Every bucket has default encryption (SSE-S3 or SSE-KMS)",
  explanation: "Objects at rest are encrypted whatever the writer sends.",
  check: (json) =>
    eachBucket(json, (name) => {
      const configs = companionsOf(json, "aws_s3_bucket_server_side_encryption_configuration", name);
      const algorithms = configs
        .flatMap((c) => (c.rule as Block[] | undefined) ?? [])
        .map((r) => (r.apply_server_side_encryption_by_default as Block | undefined)?.sse_algorithm);
      return algorithms.some((a) => a === "AES256" || a === "aws:kms" || a === "aws:kms:dsse") ? undefined : "has no default encryption configuration";
    }),
};

export const s3Versioned: Rule = {
  id: "S3-2",
  description: "Every bucket is versioned",
  explanation: "Versioning keeps overwritten and deleted objects recoverable (lifecycle expires old versions).",
  check: (json) =>
    eachBucket(json, (name) =>
      companionsOf(json, "aws_s3_bucket_versioning", name).some((v) => (v.versioning_configuration as Block | undefined)?.status === "Enabled")
        ? undefined
        : "is not versioned",
    ),
};

export const s3PublicAccessBlocked: Rule = {
  id: "S3-3",
  description: "Every bucket blocks all four kinds of public access",
  explanation: "Public ACLs and policies are rejected and ignored regardless of what a later change writes.",
  check: (json) =>
    eachBucket(json, (name) => {
      const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
      const blocks = companionsOf(json, "aws_s3_bucket_public_access_block", name);
      return blocks.some((b) => flags.every((f) => b[f] === true)) ? undefined : "does not block all public access";
    }),
};

export const s3TlsOnly: Rule = {
  id: "S3-4",
  description: "Every bucket policy denies requests without TLS",
  explanation: "Security Hub S3.5: deny s3:* when aws:SecureTransport is false, on the bucket and its objects.",
  check: (json) => {
    const docs = new Map(policyDocuments(json).map((d) => [d.name, d]));
    return eachBucket(json, (name) => {
      const policies = companionsOf(json, "aws_s3_bucket_policy", name);
      const denies = policies.some((p) => {
        const doc = docs.get(parseReference(p.policy)?.name ?? "");
        return doc?.statements.some(
          (s) =>
            s.effect === "Deny" &&
            s.actions.includes("s3:*") &&
            s.resources.length >= 2 &&
            s.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")),
        );
      });
      return denies ? undefined : "has no policy that denies requests without TLS";
    });
  },
};
