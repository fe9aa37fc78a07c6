/**
 * What AWS says QuickSight needs to use Athena: the actions of the AWS managed policy
 * AWSQuicksightAthenaAccess ("Quicksight access to Athena API and S3 buckets used for Athena query
 * results"), as the AWS Managed Policy Reference publishes it
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSQuicksightAthenaAccess.html,
 * read in its 2025-2026 versions; the Athena User Guide's "AWS managed policies for Amazon Athena"
 * groups it as athena, glue, s3 and lakeformation). AWS documents no other grant for QuickSight's
 * Athena data sources, and none of its own for SPICE ingestion, which runs the data sets' queries
 * through the same data source and role.
 *
 * patchline does not attach that policy: it grants on its own workgroup, catalog, tables and
 * buckets what of it applies here (stacks/compliance/quicksight/access.ts), and says below why it
 * leaves each other action out. Resource types per action are those of the Service Authorization
 * Reference ("Actions, resources, and condition keys for Amazon Athena / AWS Glue"). A test checks
 * that every action of the managed policy is either granted or left out with a reason.
 */
export const managedPolicyActions = [
  "athena:BatchGetQueryExecution",
  "athena:CancelQueryExecution",
  "athena:GetCatalogs",
  "athena:GetExecutionEngine",
  "athena:GetExecutionEngines",
  "athena:GetNamespace",
  "athena:GetNamespaces",
  "athena:GetQueryExecution",
  "athena:GetQueryExecutions",
  "athena:GetQueryResults",
  "athena:GetQueryResultsStream",
  "athena:GetTable",
  "athena:GetTables",
  "athena:ListQueryExecutions",
  "athena:RunQuery",
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
  "athena:ListWorkGroups",
  "athena:ListEngineVersions",
  "athena:GetWorkGroup",
  "athena:GetDataCatalog",
  "athena:GetDatabase",
  "athena:GetTableMetadata",
  "athena:ListDataCatalogs",
  "athena:ListDatabases",
  "athena:ListTableMetadata",
  "glue:CreateDatabase",
  "glue:DeleteDatabase",
  "glue:GetCatalog",
  "glue:GetCatalogs",
  "glue:GetDatabase",
  "glue:GetDatabases",
  "glue:UpdateDatabase",
  "glue:CreateTable",
  "glue:DeleteTable",
  "glue:BatchDeleteTable",
  "glue:UpdateTable",
  "glue:GetTable",
  "glue:GetTables",
  "glue:BatchCreatePartition",
  "glue:CreatePartition",
  "glue:DeletePartition",
  "glue:BatchDeletePartition",
  "glue:UpdatePartition",
  "glue:GetPartition",
  "glue:GetPartitions",
  "glue:BatchGetPartition",
  // the managed policy grants these on arn:aws:s3:::aws-athena-query-results-*, Athena's default results buckets
  "s3:GetBucketLocation",
  "s3:GetObject",
  "s3:ListBucket",
  "s3:ListBucketMultipartUploads",
  "s3:ListMultipartUploadParts",
  "s3:AbortMultipartUpload",
  "s3:CreateBucket",
  "s3:PutObject",
  "s3:PutBucketPublicAccessBlock",
  "lakeformation:GetDataAccess",
] as const;

export type ManagedPolicyAction = (typeof managedPolicyActions)[number];

const beforeJdbc110 = "deprecated: the Service Authorization Reference applies it only to Athena JDBC drivers before 1.1.0";
const jdbc110 = "the Service Authorization Reference applies it only to the Athena JDBC driver 1.1.0; the current API's catalog reads are granted";
const glueWrite = "a write: the dashboard only reads, Terraform owns the database and tables, and missing_patches uses partition projection";

/** The managed policy's actions patchline does not grant, each with why (shown in docs/dashboard.md too). */
export const leftOutActions: Readonly<Partial<Record<ManagedPolicyAction, string>>> = {
  "athena:CancelQueryExecution": `${beforeJdbc110} (StopQueryExecution is granted)`,
  "athena:GetQueryExecutions": `${beforeJdbc110} (ListQueryExecutions and BatchGetQueryExecution are granted)`,
  "athena:RunQuery": `${beforeJdbc110} (StartQueryExecution is granted)`,
  "athena:GetCatalogs": jdbc110,
  "athena:GetExecutionEngine": jdbc110,
  "athena:GetExecutionEngines": jdbc110,
  "athena:GetNamespace": jdbc110,
  "athena:GetNamespaces": jdbc110,
  "athena:GetTable": jdbc110,
  "athena:GetTables": jdbc110,
  "glue:CreateDatabase": glueWrite,
  "glue:DeleteDatabase": glueWrite,
  "glue:UpdateDatabase": glueWrite,
  "glue:CreateTable": glueWrite,
  "glue:DeleteTable": glueWrite,
  "glue:BatchDeleteTable": glueWrite,
  "glue:UpdateTable": glueWrite,
  "glue:BatchCreatePartition": glueWrite,
  "glue:CreatePartition": glueWrite,
  "glue:DeletePartition": glueWrite,
  "glue:BatchDeletePartition": glueWrite,
  "glue:UpdatePartition": glueWrite,
  "s3:CreateBucket": "the workgroup enforces its results location in the reports bucket: Athena creates no aws-athena-query-results-* bucket",
  "s3:PutBucketPublicAccessBlock": "only for the aws-athena-query-results-* buckets Athena would create, which the enforced workgroup never does",
  "lakeformation:GetDataAccess": "only for S3 locations registered with Lake Formation: patchline registers none",
};
