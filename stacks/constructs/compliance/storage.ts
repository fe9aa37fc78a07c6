import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { Construct } from "constructs";
import stringify from "json-stable-stringify";
import type { OrgConfig } from "../../../environments/schema/index.js";
import { fleetCatalog } from "../../fleet-catalog.js";
import type { Naming } from "../../naming.js";
import { SecureBucket } from "../secure-bucket.js";

export interface ComplianceStorageProps {
  readonly config: OrgConfig;
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  readonly provider: AwsProvider;
}

/** Key prefixes of the reports bucket whose objects expire; the catalog stays. */
export const reportPrefixes = { runs: "runs/", reports: "reports/", athenaResults: "athena-results/" } as const;

/** S3 refuses bucket policies above 20 KB; the rest of the data bucket's policy takes about 1.5 KB. */
const BUCKET_POLICY_BYTES = 20 * 1024;
const SYNC_POLICY_FIXED_BYTES = 1600;
/** Each member account adds `"123456789012",` to the delivery statement's aws:SourceAccount list. */
const SYNC_POLICY_BYTES_PER_ACCOUNT = 15;

/** Fails synth, saying why, for an organization whose account list no bucket policy can hold. */
export function assertSyncPolicyFits(accounts: number): void {
  const bytes = SYNC_POLICY_FIXED_BYTES + accounts * SYNC_POLICY_BYTES_PER_ACCOUNT;
  if (bytes > BUCKET_POLICY_BYTES) {
    throw new Error(
      `the compliance-data bucket policy names each of the ${accounts} member accounts and would be about ${bytes} bytes; S3 allows ${BUCKET_POLICY_BYTES}. Split the organization across patchline installations (namePrefix) or scope the policy by organization instead.`,
    );
  }
}

/** The accounts reference table for Athena: account id → name and environment, from config. */
export function accountsCsv(config: OrgConfig): string {
  const rows = config.environments.flatMap((env) => env.accounts.map((a) => `${a.id},${a.name},${env.name}`));
  return `account_id,account_name,environment\n${rows.join("\n")}\n`;
}

/**
 * The two central buckets of compliance reporting: the reports bucket (run results, reports, the
 * fleet catalog, Athena results; encrypted with the central key, written by central roles only) and
 * the compliance data bucket every member account's resource data sync writes to (SSE-S3, like the
 * log bucket, so that no member needs a grant on the central key).
 */
export class ComplianceStorage extends Construct {
  readonly reports: SecureBucket["bucket"];
  readonly data: SecureBucket["bucket"];

  constructor(scope: Construct, id: string, props: ComplianceStorageProps) {
    super(scope, id);
    const { config, naming, provider } = props;
    const { org } = config;
    const memberAccounts = config.environments.flatMap((env) => env.accounts.map((a) => a.id));
    assertSyncPolicyFits(memberAccounts.length);

    this.reports = new SecureBucket(this, "Reports", {
      provider,
      bucketName: naming.reportsBucket,
      expireAfterDays: org.compliance.reportRetentionDays,
      noncurrentVersionExpireAfterDays: org.logs.noncurrentVersionRetentionDays,
      expirePrefixes: Object.values(reportPrefixes),
      kmsKey: props.key,
      policyStatements: () => [],
    }).bucket;

    this.data = new SecureBucket(this, "Data", {
      provider,
      bucketName: naming.complianceDataBucket,
      expireAfterDays: org.compliance.reportRetentionDays,
      noncurrentVersionExpireAfterDays: org.logs.noncurrentVersionRetentionDays,
      expirePrefixes: [`${naming.resourceDataSyncPrefix}/`],
      // the documented resource data sync policy, for the organization's member accounts; the ACL
      // check names the sync rather than every account, so the policy stays within S3's 20 KB
      policyStatements: (bucket) => [
        {
          sid: "ResourceDataSyncChecksBucketAcl",
          actions: ["s3:GetBucketAcl"],
          resources: [bucket.arn],
          principals: [{ type: "Service", identifiers: ["ssm.amazonaws.com"] }],
          conditions: [{ test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:ssm:*:*:resource-data-sync/${naming.resourceDataSync}`] }],
        },
        {
          sid: "ResourceDataSyncDelivers",
          actions: ["s3:PutObject"],
          resources: [`${bucket.arn}/${naming.resourceDataSyncPrefix}/*/accountid=*/*`],
          principals: [{ type: "Service", identifiers: ["ssm.amazonaws.com"] }],
          conditions: [
            { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: memberAccounts },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:ssm:*:*:resource-data-sync/${naming.resourceDataSync}`] },
          ],
        },
      ],
    }).bucket;

    // what the central functions read; Terraform writes it from the validated config, so a plan shows every change
    new S3Object(this, "FleetCatalog", {
      provider,
      bucket: this.reports.id,
      key: naming.fleetCatalogKey,
      content: stringify(fleetCatalog(config, naming), { space: 2 }) ?? "",
      contentType: "application/json",
    });
    new S3Object(this, "AccountsTable", {
      provider,
      bucket: this.data.id,
      key: "reference/accounts/accounts.csv",
      content: accountsCsv(config),
      contentType: "text/csv",
    });
  }
}
