import { KEY_METADATA_ACTIONS } from "../../stacks/core/key-policy.js";
/**
 * The AWS calls hashicorp/aws 5.100.0 makes to refresh (Read) and plan each resource type and data
 * source patchline renders, as IAM actions, read from the provider's Read functions
 * (internal/service/<service>/<resource>.go). Only these are allowed to the plan role: a resource
 * type the synthesized stacks use and this table lacks stops the generator, naming it.
 *
 * Tags: where the provider takes tags from the resource's own Get/Describe output the tag-listing
 * action is kept too (its tagging interceptor lists them when the output has none); it returns
 * metadata only.
 */

/**
 * Where a group of calls is authorized. `*` for calls IAM does not scope (List/Describe of a whole
 * service) or whose resources are addressed by generated ids (patch baselines `pb-…`, windows
 * `mw-…`, keys, rules of the default bus): a scope by name cannot hold them. Named scopes are the
 * resources patchline names `<namePrefix>-…` (stacks/naming.ts); the generator checks that every
 * synthesized resource of the type lies inside.
 */
export type Scope =
  | "*"
  | "bucket"
  | "rendered-object"
  | "attached-role"
  | "function"
  | "role"
  | "policy"
  | "topic"
  | "queue"
  | "table"
  | "state-machine"
  | "secret"
  | "http-api"
  | "quicksight"
  | "backup-vault";

export interface ScopeArns {
  /** The ARN patterns the scope's calls are authorized on. */
  readonly arns: (prefix: string) => string[];
  /** The name pattern (`*` any run of characters) every resource of the scope's types must match. */
  readonly name?: (prefix: string) => string;
}

export const scopes: Readonly<Record<Exclude<Scope, "*" | "rendered-object" | "attached-role">, ScopeArns>> = {
  bucket: { arns: (p) => [`arn:aws:s3:::${p}-*`], name: (p) => `${p}-*` },
  function: { arns: (p) => [`arn:aws:lambda:*:*:function:${p}-*`], name: (p) => `${p}-*` },
  role: { arns: (p) => [`arn:aws:iam::*:role/${p}-*`], name: (p) => `${p}-*` },
  policy: { arns: (p) => [`arn:aws:iam::*:policy/${p}-*`], name: (p) => `${p}-*` },
  topic: { arns: (p) => [`arn:aws:sns:*:*:${p}-*`], name: (p) => `${p}-*` },
  queue: { arns: (p) => [`arn:aws:sqs:*:*:${p}-*`], name: (p) => `${p}-*` },
  table: { arns: (p) => [`arn:aws:dynamodb:*:*:table/${p}-*`], name: (p) => `${p}-*` },
  "state-machine": { arns: (p) => [`arn:aws:states:*:*:stateMachine:${p}-*`], name: (p) => `${p}-*` },
  // chat webhook secrets are named `<namePrefix>/chat/<channel>`
  secret: { arns: (p) => [`arn:aws:secretsmanager:*:*:secret:${p}/*`], name: (p) => `${p}/*` },
  // HTTP APIs are addressed by generated ids; `apigateway:GET` on /apis/* still excludes REST APIs' data
  "http-api": { arns: () => ["arn:aws:apigateway:*::/apis/*", "arn:aws:apigateway:*::/tags/*"] },
  // QuickSight ids are `<namePrefix>-…`; a data set's refresh schedules are `dataset/<id>/refresh-schedule/<id>`
  quicksight: { arns: (p) => ["analysis", "dashboard", "dataset", "datasource"].map((type) => `arn:aws:quicksight:*:*:${type}/${p}-*`), name: (p) => `${p}-*` },
  // the pre-patch backups' vault (stacks/member/runbooks/regional.ts)
  "backup-vault": { arns: (p) => [`arn:aws:backup:*:*:backup-vault:${p}-*`], name: (p) => `${p}-*` },
};

export interface ReadGroup {
  readonly scope: Scope;
  readonly actions: readonly string[];
}

export interface TypeReads {
  readonly reads: readonly ReadGroup[];
  /** The attribute holding the resource's name: it must lie in the scope of the type's first scoped group. */
  readonly nameAttribute?: string;
}

const any = (...actions: string[]): ReadGroup => ({ scope: "*", actions });
const on = (scope: Scope, ...actions: string[]): ReadGroup => ({ scope, actions });

export const resourceReads: Readonly<Record<string, TypeReads>> = {
  aws_apigatewayv2_api: { reads: [on("http-api", "apigateway:GET")] },
  // GetAuthorizer: /apis/<id>/authorizers/<id>
  aws_apigatewayv2_authorizer: { reads: [on("http-api", "apigateway:GET")] },
  aws_apigatewayv2_integration: { reads: [on("http-api", "apigateway:GET")] },
  aws_apigatewayv2_route: { reads: [on("http-api", "apigateway:GET")] },
  aws_apigatewayv2_stage: { reads: [on("http-api", "apigateway:GET")] },
  aws_athena_named_query: { reads: [any("athena:GetNamedQuery")] },
  // the vault's Read describes it; its tags are listed by its ARN
  aws_backup_vault: { reads: [on("backup-vault", "backup:DescribeBackupVault", "backup:ListTags")], nameAttribute: "name" },
  aws_athena_workgroup: { reads: [any("athena:GetWorkGroup", "athena:ListTagsForResource")] },
  // cache and origin request policies carry no tags; distributions are addressed by generated ids
  aws_cloudfront_cache_policy: { reads: [any("cloudfront:GetCachePolicy")] },
  aws_cloudfront_distribution: { reads: [any("cloudfront:GetDistribution", "cloudfront:ListTagsForResource")] },
  aws_cloudfront_origin_request_policy: { reads: [any("cloudfront:GetOriginRequestPolicy")] },
  aws_cloudwatch_event_bus: { reads: [any("events:DescribeEventBus", "events:ListTagsForResource")] },
  aws_cloudwatch_event_bus_policy: { reads: [any("events:DescribeEventBus")] },
  aws_cloudwatch_event_rule: { reads: [any("events:DescribeRule", "events:ListTagsForResource")] },
  aws_cloudwatch_event_target: { reads: [any("events:ListTargetsByRule")] },
  // log group names vary (/aws/lambda/…, /aws/vendedlogs/…) and DescribeLogGroups lists the account's
  aws_cloudwatch_log_group: { reads: [any("logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup")] },
  aws_cloudwatch_metric_alarm: { reads: [any("cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource")] },
  aws_config_config_rule: { reads: [any("config:DescribeConfigRules", "config:ListTagsForResource")] },
  aws_dynamodb_table: {
    reads: [on("table", "dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource")],
    nameAttribute: "name",
  },
  aws_glue_catalog_database: { reads: [any("glue:GetDatabase", "glue:GetTags")] },
  // the table's Read also lists its partition indexes
  aws_glue_catalog_table: { reads: [any("glue:GetTable", "glue:GetPartitionIndexes")] },
  aws_iam_policy: { reads: [on("policy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyTags")], nameAttribute: "name" },
  aws_iam_role: {
    reads: [on("role", "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRoleTags")],
    nameAttribute: "name",
  },
  aws_iam_role_policy: { reads: [on("role", "iam:GetRolePolicy")] },
  // the attachment is found by listing the role's attached policies: roles outside the prefix too (QuickSight's), by name
  aws_iam_role_policy_attachment: { reads: [on("attached-role", "iam:ListAttachedRolePolicies")] },
  // an alias is found by listing the aliases
  aws_kms_alias: { reads: [any("kms:ListAliases")] },
  // the keys' policies admit the plan role for exactly these (stacks/core/key-policy.ts)
  aws_kms_key: { reads: [any(...KEY_METADATA_ACTIONS)] },
  // GetFunction also returns a pre-signed URL of the code: patchline's own bundles, built from the repository
  aws_lambda_function: {
    reads: [on("function", "lambda:GetFunction", "lambda:ListVersionsByFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:ListTags")],
    nameAttribute: "function_name",
  },
  aws_lambda_function_event_invoke_config: { reads: [on("function", "lambda:GetFunctionEventInvokeConfig")] },
  aws_lambda_permission: { reads: [on("function", "lambda:GetPolicy")] },
  // HeadBucket (s3:ListBucket) finds the bucket's region; then one Get per bucket setting
  aws_s3_bucket: {
    reads: [
      on(
        "bucket",
        "s3:ListBucket",
        "s3:GetBucketPolicy",
        "s3:GetBucketAcl",
        "s3:GetBucketCORS",
        "s3:GetBucketWebsite",
        "s3:GetBucketVersioning",
        "s3:GetAccelerateConfiguration",
        "s3:GetBucketRequestPayment",
        "s3:GetBucketLogging",
        "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:GetEncryptionConfiguration",
        "s3:GetBucketObjectLockConfiguration",
        "s3:GetBucketTagging",
      ),
    ],
    nameAttribute: "bucket",
  },
  aws_s3_bucket_lifecycle_configuration: { reads: [on("bucket", "s3:GetLifecycleConfiguration")] },
  aws_s3_bucket_object_lock_configuration: { reads: [on("bucket", "s3:GetBucketObjectLockConfiguration")] },
  aws_s3_bucket_ownership_controls: { reads: [on("bucket", "s3:GetBucketOwnershipControls")] },
  aws_s3_bucket_policy: { reads: [on("bucket", "s3:GetBucketPolicy")] },
  aws_s3_bucket_public_access_block: { reads: [on("bucket", "s3:GetBucketPublicAccessBlock")] },
  aws_s3_bucket_server_side_encryption_configuration: { reads: [on("bucket", "s3:GetEncryptionConfiguration")] },
  aws_s3_bucket_versioning: { reads: [on("bucket", "s3:GetBucketVersioning")] },
  // HeadObject is authorized as s3:GetObject: allowed on exactly the objects patchline renders
  aws_s3_object: { reads: [on("rendered-object", "s3:GetObject", "s3:GetObjectTagging")] },
  aws_scheduler_schedule: { reads: [any("scheduler:GetSchedule")] },
  // metadata and resource policy only: never the secret's value
  aws_secretsmanager_secret: { reads: [on("secret", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy")], nameAttribute: "name" },
  // ValidateStateMachineDefinition runs while planning (a CustomizeDiff), not only on apply
  aws_sfn_state_machine: {
    reads: [
      on("state-machine", "states:DescribeStateMachine", "states:ListStateMachineVersions", "states:ListTagsForResource"),
      any("states:ValidateStateMachineDefinition"),
    ],
    nameAttribute: "name",
  },
  aws_sns_topic: { reads: [on("topic", "sns:GetTopicAttributes", "sns:ListTagsForResource")], nameAttribute: "name" },
  aws_sns_topic_subscription: { reads: [any("sns:GetSubscriptionAttributes")] },
  aws_sqs_queue: { reads: [on("queue", "sqs:GetQueueAttributes", "sqs:ListQueueTags")], nameAttribute: "name" },
  aws_sqs_queue_policy: { reads: [on("queue", "sqs:GetQueueAttributes")] },
  // the default baseline is read per operating system, then its baseline
  aws_ssm_default_patch_baseline: { reads: [any("ssm:GetDefaultPatchBaseline", "ssm:GetPatchBaseline")] },
  aws_ssm_document: { reads: [any("ssm:DescribeDocument", "ssm:GetDocument", "ssm:DescribeDocumentPermission", "ssm:ListTagsForResource")] },
  aws_ssm_maintenance_window: { reads: [any("ssm:GetMaintenanceWindow", "ssm:ListTagsForResource")] },
  aws_ssm_maintenance_window_target: { reads: [any("ssm:DescribeMaintenanceWindowTargets")] },
  aws_ssm_maintenance_window_task: { reads: [any("ssm:GetMaintenanceWindowTask")] },
  aws_ssm_patch_baseline: { reads: [any("ssm:GetPatchBaseline", "ssm:ListTagsForResource")] },
  aws_ssm_patch_group: { reads: [any("ssm:DescribePatchGroups")] },
  aws_ssm_resource_data_sync: { reads: [any("ssm:ListResourceDataSync")] },
  // Describe<Analysis|Dashboard>Definition are authorized as Describe<Analysis|Dashboard> (no IAM action of their own)
  aws_quicksight_analysis: {
    reads: [on("quicksight", "quicksight:DescribeAnalysis", "quicksight:DescribeAnalysisPermissions", "quicksight:ListTagsForResource")],
    nameAttribute: "analysis_id",
  },
  aws_quicksight_dashboard: {
    reads: [on("quicksight", "quicksight:DescribeDashboard", "quicksight:DescribeDashboardPermissions", "quicksight:ListTagsForResource")],
    nameAttribute: "dashboard_id",
  },
  aws_quicksight_data_set: {
    reads: [
      on(
        "quicksight",
        "quicksight:DescribeDataSet",
        "quicksight:DescribeDataSetPermissions",
        "quicksight:DescribeDataSetRefreshProperties",
        "quicksight:ListTagsForResource",
      ),
    ],
    nameAttribute: "data_set_id",
  },
  aws_quicksight_data_source: {
    reads: [on("quicksight", "quicksight:DescribeDataSource", "quicksight:DescribeDataSourcePermissions", "quicksight:ListTagsForResource")],
    nameAttribute: "data_source_id",
  },
  // its data set id is a reference to the data set (named in scope above); no tags
  aws_quicksight_refresh_schedule: { reads: [on("quicksight", "quicksight:DescribeRefreshSchedule")] },
  // GetWebACL (id, name and scope; CLOUDFRONT scope through the us-east-1 provider); its output has no tags
  aws_wafv2_web_acl: { reads: [any("wafv2:GetWebACL", "wafv2:ListTagsForResource")] },
};

/** Data sources: what each calls while planning. */
export const dataSourceReads: Readonly<Record<string, TypeReads>> = {
  // rendered by the provider locally, no AWS call
  aws_iam_policy_document: { reads: [] },
};
