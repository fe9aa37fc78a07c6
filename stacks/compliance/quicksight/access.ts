import { defaultQuickSightServiceRole, type QuickSightSettings } from "../../../environments/schema/index.js";
import type { Org } from "../../../environments/schema/index.js";
import type { PolicyStatement } from "../../core/iam-policy.js";
import { namedRoles } from "../../core/key-policy.js";
import type { Naming } from "../../naming.js";
import { reportPrefixes } from "../storage.js";
import { contractTables } from "./contract.js";

/** The Athena workgroup QuickSight queries in: its own, so its results and costs are apart from people's queries. */
export const quickSightWorkgroup = (naming: Pick<Naming, "prefix">): string => `${naming.prefix}-quicksight`;

/** Where the workgroup writes results: below the reports bucket's Athena prefix (which expires). */
export const quickSightResultsPrefix = `${reportPrefixes.athenaResults}quicksight/`;

/** The role QuickSight uses for Athena and S3, when QuickSight is configured. */
export function quickSightServiceRole(org: Pick<Org, "central" | "compliance">): string | undefined {
  const settings: QuickSightSettings | undefined = org.compliance.quicksight;
  return settings === undefined ? undefined : (settings.serviceRoleArn ?? defaultQuickSightServiceRole(org.central.accountId));
}

/** The data bucket's prefixes the dashboard's tables read (their Glue locations). */
export const quickSightDataPrefixes = ["history/", "missing-patches/"] as const;

export interface QuickSightAccess {
  readonly region: string;
  readonly accountId: string;
  readonly workgroup: string;
  readonly database: string;
  readonly dataBucket: string;
  readonly reportsBucket: string;
  readonly keyArn: string;
}

/**
 * What QuickSight's service role needs to run the dashboard's queries and SPICE refreshes: the
 * actions of AWS's managed policy AWSQuicksightAthenaAccess that apply here (./athena-access.ts
 * says where it is published and why each other action is left out), scoped where the Service
 * Authorization Reference allows. Athena calls Glue and S3 with the caller's credentials, so the
 * role reads the catalog entries of the three tables and their objects, and writes and reads query
 * results in its workgroup's prefix (instead of the managed policy's aws-athena-query-results-*
 * buckets); the results are encrypted with the central key (SSE-KMS, through S3). Nothing else of
 * patchline: not the resource data sync tables, not other workgroups' results.
 */
export function quickSightAccessStatements(a: QuickSightAccess): PolicyStatement[] {
  const glue = (resource: string) => `arn:aws:glue:${a.region}:${a.accountId}:${resource}`;
  const data = `arn:aws:s3:::${a.dataBucket}`;
  const reports = `arn:aws:s3:::${a.reportsBucket}`;
  return [
    {
      // GetQueryResultsStream is used only by Athena's JDBC and ODBC drivers (streamed results); the managed policy has it
      sid: "RunQueriesInTheQuickSightWorkgroup",
      actions: [
        "athena:BatchGetQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:GetQueryResultsStream",
        "athena:GetWorkGroup",
        "athena:ListQueryExecutions",
        "athena:StartQueryExecution",
        "athena:StopQueryExecution",
      ],
      resources: [`arn:aws:athena:${a.region}:${a.accountId}:workgroup/${a.workgroup}`],
    },
    {
      // what QuickSight's data set editor lists when an author browses the data source
      sid: "ListTheCatalogThroughAthena",
      actions: ["athena:GetDatabase", "athena:GetDataCatalog", "athena:GetTableMetadata", "athena:ListDatabases", "athena:ListTableMetadata"],
      resources: [`arn:aws:athena:${a.region}:${a.accountId}:datacatalog/AwsDataCatalog`],
    },
    {
      // these three have no resource type in the Service Authorization Reference: "*" or nothing
      sid: "ListWorkgroupsCatalogsAndEngineVersions",
      actions: ["athena:ListDataCatalogs", "athena:ListEngineVersions", "athena:ListWorkGroups"],
      resources: ["*"],
    },
    {
      sid: "ReadTheDashboardsTables",
      actions: [
        "glue:BatchGetPartition",
        "glue:GetCatalog",
        "glue:GetCatalogs",
        "glue:GetDatabase",
        "glue:GetDatabases",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:GetTable",
        "glue:GetTables",
      ],
      resources: [glue("catalog"), glue(`database/${a.database}`), ...Object.keys(contractTables).map((table) => glue(`table/${a.database}/${table}`))],
    },
    { sid: "FindTheBuckets", actions: ["s3:GetBucketLocation"], resources: [data, reports] },
    {
      sid: "ListTheTablesObjects",
      actions: ["s3:ListBucket"],
      resources: [data],
      conditions: [{ test: "StringLike", variable: "s3:prefix", values: quickSightDataPrefixes.map((p) => `${p}*`) }],
    },
    { sid: "ReadTheTablesObjects", actions: ["s3:GetObject"], resources: quickSightDataPrefixes.map((p) => `${data}/${p}*`) },
    {
      sid: "ListQueryResults",
      actions: ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
      resources: [reports],
      conditions: [{ test: "StringLike", variable: "s3:prefix", values: [`${quickSightResultsPrefix}*`] }],
    },
    {
      sid: "WriteAndReadQueryResults",
      actions: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
      resources: [`${reports}/${quickSightResultsPrefix}*`],
    },
    {
      sid: "EncryptAndDecryptQueryResultsThroughS3",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [a.keyArn],
      conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${a.region}.amazonaws.com`] }],
    },
  ];
}

/**
 * The central key's statement for QuickSight's role: the two actions query results need, through
 * S3 only, for that role only. The role is QuickSight's, not patchline's: whatever else its
 * policies allow, the key admits it for nothing more.
 */
export function quickSightKeyStatement(accountId: string, region: string, roleArn: string): PolicyStatement {
  const role = namedRoles(accountId, [roleArn]);
  return {
    sid: "QuickSightUsesQueryResultsThroughS3",
    actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    resources: ["*"],
    principals: role.principals,
    conditions: [...role.conditions, { test: "StringEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] }],
  };
}
