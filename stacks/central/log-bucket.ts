import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { SecureBucket, type SecureBucketProps } from "../core/secure-bucket.js";

export interface CentralLogBucketProps {
  readonly naming: Naming;
  readonly organizationId: string;
  /** Environment names: the first segment below `run-command/`. */
  readonly environments: readonly string[];
  readonly outputRetentionDays: number;
  readonly noncurrentVersionRetentionDays: number;
  readonly provider: AwsProvider;
}

/**
 * The log bucket's own statements: organization members write below their own account's prefix of
 * each environment (one resource per environment: a "*" in place of the environment would also
 * match "/"), and read the bucket's encryption.
 */
export function logBucketStatements(organizationId: string, environments: readonly string[]): SecureBucketProps["policyStatements"] {
  return (bucket) => [
    {
      sid: "OrganizationMembersWriteOwnRunCommandOutput",
      actions: ["s3:PutObject"],
      resources: environments.map((env) => `${bucket.arn}/run-command/${env}/&{aws:PrincipalAccount}/*`),
      principals: [{ type: "AWS", identifiers: ["*"] }],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: [organizationId] }],
    },
    {
      sid: "OrganizationMembersReadBucketEncryption",
      actions: ["s3:GetEncryptionConfiguration"],
      resources: [bucket.arn],
      principals: [{ type: "AWS", identifiers: ["*"] }],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: [organizationId] }],
    },
  ];
}

/**
 * Patch command output of the whole organization. Principals of the organization's accounts may
 * only put objects below `run-command/<env>/<their own account id>/`; nothing else from outside.
 */
export class CentralLogBucket extends Construct {
  readonly bucket: SecureBucket["bucket"];

  constructor(scope: Construct, id: string, props: CentralLogBucketProps) {
    super(scope, id);
    const secure = new SecureBucket(this, "Resource", {
      provider: props.provider,
      bucketName: props.naming.logBucket,
      expireAfterDays: props.outputRetentionDays,
      noncurrentVersionExpireAfterDays: props.noncurrentVersionRetentionDays,
      policyStatements: logBucketStatements(props.organizationId, props.environments),
    });
    this.bucket = secure.bucket;
  }
}
