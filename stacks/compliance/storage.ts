import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { GeneratedFile } from "../core/generated-file.js";
import { Construct } from "constructs";
import type { OrgConfig } from "../../environments/schema/index.js";
import { fleetCatalogJson } from "./fleet-catalog.js";
import type { Naming } from "../naming.js";
import { SecureBucket, type SecureBucketProps } from "../core/secure-bucket.js";
import { HISTORY_PREFIX } from "../../contracts/compliance-history.js";
import { MISSING_PATCHES_PREFIX } from "../../contracts/patch-sla.js";

export interface ComplianceStorageProps {
  readonly config: OrgConfig;
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  readonly provider: AwsProvider;
}

/** Key prefixes of the reports bucket whose objects expire; the catalog stays. */
export const reportPrefixes = { runs: "runs/", reports: "reports/", athenaResults: "athena-results/" } as const;

/**
 * The compliance-data bucket's own statements: the documented resource data sync policy, for the
 * whole organization (aws:SourceOrgID) rather than a list of its accounts, so the policy is the
 * same for 1 or 10,000 member accounts and adding an account does not touch it. SSM writes as the
 * service on behalf of the account whose sync delivers, under that account's own
 * `accountid=<id>/` path; the sync's name (aws:SourceArn) is patchline's. An account of the
 * organization that patchline does not manage could deliver its own data: the queries join the
 * accounts table (from config), and the compliance run reads the member accounts themselves.
 * Besides, the report step's run history below `history/` is written once by anyone, and deleted
 * by no one: the bucket is versioned, so a delete marker would let a new write-once PUT through and
 * hide a run's first record behind another. Expiration by the bucket's lifecycle rules is not a
 * request a bucket policy can refuse, so the history still expires after its retention.
 */
export function complianceDataStatements(organizationId: string, naming: Naming): SecureBucketProps["policyStatements"] {
  const sync = { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:ssm:*:*:resource-data-sync/${naming.resourceDataSync}`] };
  const ssm = [{ type: "Service" as const, identifiers: ["ssm.amazonaws.com"] }];
  const everyone = [{ type: "*" as const, identifiers: ["*"] }];
  return (bucket) => [
    {
      sid: "RunHistoryIsNeverDeleted",
      effect: "Deny",
      actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      resources: [`${bucket.arn}/${HISTORY_PREFIX}*`],
      principals: everyone,
    },
    {
      // each run's history is written once (If-None-Match: *), whoever asks: no writer replaces an earlier run's record
      sid: "RunHistoryIsWrittenOnce",
      effect: "Deny",
      actions: ["s3:PutObject"],
      resources: [`${bucket.arn}/${HISTORY_PREFIX}*`],
      principals: everyone,
      conditions: [{ test: "Null", variable: "s3:if-none-match", values: ["true"] }],
    },
    { sid: "ResourceDataSyncChecksBucketAcl", actions: ["s3:GetBucketAcl"], resources: [bucket.arn], principals: ssm, conditions: [sync] },
    {
      sid: "ResourceDataSyncDelivers",
      actions: ["s3:PutObject"],
      resources: [`${bucket.arn}/${naming.resourceDataSyncPrefix}/*/accountid=*/*`],
      principals: ssm,
      conditions: [
        { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
        { test: "StringEquals", variable: "aws:SourceOrgID", values: [organizationId] },
        sync,
      ],
    },
  ];
}

/** Key prefix of the evidence bucket: `evidenceKeys` (contracts/evidence.ts) writes below it. */
export const EVIDENCE_PREFIX = "evidence/";

/**
 * The evidence bucket's own statements: a run's evidence document is written once (a PutObject
 * without If-None-Match, which could replace it, is refused whoever asks), and every other write
 * of evidence is conditional too (the summary is read, changed and written back with If-Match), so
 * that no writer can replace what another wrote without having read it. Object Lock keeps every
 * version besides; no one deletes evidence (a delete marker would let a write-once PUT through
 * again and hide the first document behind a new one).
 */
export function evidenceStatements(): SecureBucketProps["policyStatements"] {
  const everyone = [{ type: "*" as const, identifiers: ["*"] }];
  return (bucket) => [
    {
      sid: "EvidenceIsNeverDeleted",
      effect: "Deny",
      actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      resources: [`${bucket.arn}/${EVIDENCE_PREFIX}*`],
      principals: everyone,
    },
    {
      sid: "EvidenceRunsAreWrittenOnce",
      effect: "Deny",
      actions: ["s3:PutObject"],
      resources: [`${bucket.arn}/${EVIDENCE_PREFIX}*/runs/*`],
      principals: everyone,
      conditions: [{ test: "Null", variable: "s3:if-none-match", values: ["true"] }],
    },
    {
      sid: "EvidenceWritesAreConditional",
      effect: "Deny",
      actions: ["s3:PutObject"],
      resources: [`${bucket.arn}/${EVIDENCE_PREFIX}*`],
      principals: everyone,
      conditions: [
        { test: "Null", variable: "s3:if-none-match", values: ["true"] },
        { test: "Null", variable: "s3:if-match", values: ["true"] },
      ],
    },
  ];
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
 * log bucket, so that no member needs a grant on the central key), and the evidence bucket the
 * compliance run writes the patch evidence of promoted-from environments to (SSE-S3, so that reading
 * evidence years later needs no key grant; versioned and under Object Lock in compliance mode).
 */
export class ComplianceStorage extends Construct {
  readonly reports: SecureBucket["bucket"];
  readonly data: SecureBucket["bucket"];
  readonly evidence: SecureBucket["bucket"];

  constructor(scope: Construct, id: string, props: ComplianceStorageProps) {
    super(scope, id);
    const { config, naming, provider } = props;
    const { org } = config;

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
      expirePrefixes: [`${naming.resourceDataSyncPrefix}/`, MISSING_PATCHES_PREFIX],
      // the run history outlives the reports: trends over years (two objects a run, lines of totals only)
      expireOwnPrefixes: [{ prefix: HISTORY_PREFIX, days: org.compliance.historyRetentionDays }],
      policyStatements: complianceDataStatements(org.organizationId, naming),
    }).bucket;

    // evidence cannot be deleted or changed before its retention ends, and expires only after
    const evidenceDays = org.compliance.evidenceRetentionDays;
    this.evidence = new SecureBucket(this, "Evidence", {
      provider,
      bucketName: naming.evidenceBucket,
      expireAfterDays: evidenceDays,
      noncurrentVersionExpireAfterDays: evidenceDays,
      objectLock: { mode: "COMPLIANCE", days: evidenceDays },
      policyStatements: evidenceStatements(),
    }).bucket;

    // what the central functions read; Terraform writes it from the validated config, so a plan shows every change
    new S3Object(this, "FleetCatalog", {
      provider,
      bucket: this.reports.id,
      key: naming.fleetCatalogKey,
      content: fleetCatalogJson(config, naming),
      contentType: "application/json",
    });
    // a view of the catalog above for Athena, one line per account: a plan shows it changed by its hash
    const accounts = new GeneratedFile(this, "AccountsTableFile", { fileName: "accounts.csv", content: accountsCsv(config) });
    new S3Object(this, "AccountsTable", {
      provider,
      bucket: this.data.id,
      key: "reference/accounts/accounts.csv",
      source: accounts.path,
      sourceHash: accounts.md5,
      contentType: "text/csv",
    });
  }
}
