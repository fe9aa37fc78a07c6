import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { Construct } from "constructs";
import { installsExactly, type OrgConfig } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";
import { SecureBucket, type SecureBucketProps } from "../core/secure-bucket.js";
import { installOverrideListYaml } from "./install-override-list.js";

export interface InstallOverrideListsProps {
  readonly config: OrgConfig;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/**
 * Longer than any record stays valid (`promotion.maxRecordAgeDays` is at most 366): a list is
 * rewritten with every record, so only a list nobody uses any more expires.
 */
export const INSTALL_OVERRIDE_LIST_EXPIRY_DAYS = 400;

/**
 * Instances of the organization read the lists with their own credentials (their instance profile
 * must allow it too): every object of the promotions bucket, or those below `keyPrefix` of a bucket
 * that holds other objects too (the emergency bucket).
 */
export function promotionsBucketStatements(organizationId: string, keyPrefix = ""): SecureBucketProps["policyStatements"] {
  return (bucket) => [
    {
      sid: "OrganizationInstancesReadInstallOverrideLists",
      actions: ["s3:GetObject"],
      resources: [`${bucket.arn}/${keyPrefix}*`],
      principals: [{ type: "AWS", identifiers: ["*"] }],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: [organizationId] }],
    },
  ];
}

/**
 * The promotions bucket, where an environment configured with `promotion.mode:
 * "install-override-list"` exists, and one InstallOverrideList per such environment with a record,
 * written by Terraform from the committed record: a plan of the central stack shows the list every
 * account of the environment will install from.
 */
export class InstallOverrideLists extends Construct {
  constructor(scope: Construct, id: string, props: InstallOverrideListsProps) {
    super(scope, id);
    const { config, naming, provider } = props;
    if (!config.environments.some((e) => e.promotion?.mode === "install-override-list")) return;
    const bucket = new SecureBucket(this, "Bucket", {
      provider,
      bucketName: naming.promotionsBucket,
      expireAfterDays: INSTALL_OVERRIDE_LIST_EXPIRY_DAYS,
      noncurrentVersionExpireAfterDays: config.org.logs.noncurrentVersionRetentionDays,
      policyStatements: promotionsBucketStatements(config.org.organizationId),
    }).bucket;
    for (const environment of config.environments.filter((e) => installsExactly(e, e.promotionRecord))) {
      new S3Object(this, environment.name, {
        provider,
        bucket: bucket.id,
        key: naming.installOverrideListKey(environment.name),
        content: installOverrideListYaml(environment.promotionRecord!),
        contentType: "application/yaml",
      });
    }
  }
}
