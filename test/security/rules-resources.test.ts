import { describe, expect, it } from "vitest";
import type { Block, TerraformJson } from "../support/terraform-json.js";
import { logGroupsRetained, snsEncrypted } from "./rules/encryption-and-retention.js";
import { s3Encrypted, s3PublicAccessBlocked, s3TlsOnly, s3Versioned } from "./rules/s3-buckets.js";
import { stateMachinesObservableAndEncrypted, stateMachineTasksBounded } from "./rules/state-machines.js";
import { apiStagesThrottledAndLogged } from "./rules/api-gateway.js";
import { dynamodbTablesEncryptedAndRecoverable } from "./rules/dynamodb-tables.js";
import { eventTargetsRetryAndKeepFailures } from "./rules/event-targets.js";
import { lambdaPermissionsScoped } from "./rules/lambda-permissions.js";
import { sqsQueuesEncryptedWithCmk } from "./rules/sqs-queues.js";
import { athenaResultsEncrypted } from "./rules/analytics.js";
import { configRulesScopedWithoutCode } from "./rules/config-rules.js";
import { lambdaEnvironmentWithoutCredentials } from "./rules/lambda-environment.js";
import { schedulesBoundedAndEncrypted } from "./rules/schedules.js";
import { secretsOutsideTerraform } from "./rules/secrets.js";
import { findings, withBucketPolicy, bucket, one, key } from "./rule-fixtures.js";

describe("S3 buckets", () => {
  it("S3-1 accepts SSE-S3 and flags a bucket without encryption", async () => {
    const encrypted = bucket({
      aws_s3_bucket_server_side_encryption_configuration: {
        e: { bucket: "${aws_s3_bucket.b.id}", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] },
      },
    });
    expect(await findings(s3Encrypted, encrypted)).toEqual([]);
    expect(await findings(s3Encrypted, bucket())).toEqual(["has no default encryption configuration"]);
  });
  it("S3-2 accepts versioning Enabled and flags Suspended", async () => {
    const versioned = (status: string) =>
      bucket({ aws_s3_bucket_versioning: { v: { bucket: "${aws_s3_bucket.b.id}", versioning_configuration: { status } } } });
    expect(await findings(s3Versioned, versioned("Enabled"))).toEqual([]);
    expect(await findings(s3Versioned, versioned("Suspended"))).toEqual(["is not versioned"]);
  });
  it("S3-3 accepts all four flags and flags a partial block", async () => {
    const block = (restrict: boolean) =>
      bucket({
        aws_s3_bucket_public_access_block: {
          p: {
            bucket: "${aws_s3_bucket.b.id}",
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: restrict,
          },
        },
      });
    expect(await findings(s3PublicAccessBlocked, block(true))).toEqual([]);
    expect(await findings(s3PublicAccessBlocked, block(false))).toEqual(["does not block all public access"]);
  });
  it("S3-4 accepts a TLS deny and flags a policy without one", async () => {
    const policy = (statements: Block[]): TerraformJson => ({
      ...withBucketPolicy(statements),
      resource: { ...withBucketPolicy(statements).resource, aws_s3_bucket: { b: { bucket: "x" } } },
    });
    const tlsDeny = {
      sid: "Tls",
      effect: "Deny",
      actions: ["s3:*"],
      resources: ["arn:aws:s3:::x", "arn:aws:s3:::x/*"],
      principals: [{ type: "*", identifiers: ["*"] }],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    };
    expect(await findings(s3TlsOnly, policy([tlsDeny]))).toEqual([]);
    expect(await findings(s3TlsOnly, policy([{ ...tlsDeny, condition: [] }]))).toEqual(["has no policy that denies requests without TLS"]);
  });
});

describe("SNS1 and LOG1", () => {
  it("SNS1 accepts a KMS key and flags an unencrypted topic", async () => {
    expect(await findings(snsEncrypted, { resource: { aws_sns_topic: { t: { name: "t", kms_master_key_id: "alias/aws/sns" } } } })).toEqual([]);
    expect(await findings(snsEncrypted, { resource: { aws_sns_topic: { t: { name: "t" } } } })).toEqual(["has no kms_master_key_id"]);
  });
  it("LOG1 accepts a retention and flags a group without one", async () => {
    expect(await findings(logGroupsRetained, { resource: { aws_cloudwatch_log_group: { g: { name: "g", retention_in_days: 365 } } } })).toEqual([]);
    expect(await findings(logGroupsRetained, { resource: { aws_cloudwatch_log_group: { g: { name: "g" } } } })).toEqual(["has no retention_in_days"]);
  });
});

describe("SFN1 and SFN2 state machines", () => {
  const machine = (body: Block): TerraformJson => ({ resource: { aws_sfn_state_machine: { m: body } } });
  const observable = {
    logging_configuration: { level: "ALL", include_execution_data: false, log_destination: "${aws_cloudwatch_log_group.g.arn}:*" },
    tracing_configuration: { enabled: true },
    encryption_configuration: { type: "CUSTOMER_MANAGED_KMS_KEY", kms_key_id: "arn:aws:kms:us-east-1:100000000001:key/k" },
  };
  it("SFN1 accepts logging without data, tracing and a CMK", async () => {
    expect(await findings(stateMachinesObservableAndEncrypted, machine(observable))).toEqual([]);
  });
  it("SFN1 flags execution data in the logs, no tracing and the AWS owned key", async () => {
    const body = {
      ...observable,
      logging_configuration: { ...observable.logging_configuration, include_execution_data: true },
      tracing_configuration: { enabled: false },
      encryption_configuration: { type: "AWS_OWNED_KEY" },
    };
    expect(await findings(stateMachinesObservableAndEncrypted, machine(body))).toEqual([
      "logs execution data (task tokens would reach the logs)",
      "has no X-Ray tracing",
      "is not encrypted with a customer managed key",
    ]);
  });

  const definition = (task: Block) => JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", End: true, ...task } } });
  it("SFN2 accepts an SDK task with a timeout and a retry", async () => {
    const task = { Resource: "arn:aws:states:::aws-sdk:ssm:sendCommand", TimeoutSeconds: 60, Retry: [{ ErrorEquals: ["Ssm.ThrottlingException"] }] };
    expect(await findings(stateMachineTasksBounded, machine({ definition: definition(task) }))).toEqual([]);
  });
  it("SFN2 flags a task without timeout or retry, also inside a Map", async () => {
    const inMap = JSON.stringify({
      StartAt: "M",
      States: {
        M: { Type: "Map", End: true, ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } } },
      },
    });
    expect(await findings(stateMachineTasksBounded, machine({ definition: inMap }))).toEqual([
      "Task T has no TimeoutSeconds",
      "Task T calls AWS without a Retry",
    ]);
  });
});

describe("API1 HTTP API stages", () => {
  const stage = (body: Block): TerraformJson => ({ resource: { aws_apigatewayv2_stage: { s: body } } });
  const logged = {
    destination_arn: "${aws_cloudwatch_log_group.g.arn}",
    format: '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status"}',
  };
  const throttling = { throttling_rate_limit: 10, throttling_burst_limit: 20 };

  it("accepts a throttled stage with access logs of route keys", async () => {
    expect(await findings(apiStagesThrottledAndLogged, stage({ default_route_settings: throttling, access_log_settings: logged }))).toEqual([]);
  });
  it("flags a stage without throttling or access logs", async () => {
    expect(await findings(apiStagesThrottledAndLogged, stage({ default_route_settings: { detailed_metrics_enabled: true } }))).toEqual([
      "has no default route throttling (rate and burst limits)",
      "writes no access logs",
    ]);
  });
  it("flags a route that lifts the limits, and access logs with paths or query strings", async () => {
    const body = {
      default_route_settings: throttling,
      route_settings: [{ route_key: "POST /approvals/{approvalId}", detailed_metrics_enabled: true }],
      access_log_settings: { ...logged, format: '{"path":"$context.path"}' },
    };
    expect(await findings(apiStagesThrottledAndLogged, stage(body))).toEqual([
      "route POST /approvals/{approvalId} overrides throttling without limits",
      "access log format writes request paths or query strings",
    ]);
  });
});

describe("LAM1 Lambda permissions", () => {
  const permission = (body: Block): TerraformJson => ({
    resource: { aws_lambda_permission: { p: { action: "lambda:InvokeFunction", function_name: "f", ...body } } },
  });
  it("accepts API Gateway scoped to a method and path, and an EventBridge rule", async () => {
    expect(
      await findings(
        lambdaPermissionsScoped,
        permission({ principal: "apigateway.amazonaws.com", source_arn: "${aws_apigatewayv2_api.a.execution_arn}/*/GET/approvals/*" }),
      ),
    ).toEqual([]);
    expect(
      await findings(lambdaPermissionsScoped, permission({ principal: "events.amazonaws.com", source_arn: "arn:aws:events:us-east-1:100000000001:rule/r" })),
    ).toEqual([]);
  });
  it("flags a service principal without source ARN, any method of an API, and *", async () => {
    expect(await findings(lambdaPermissionsScoped, permission({ principal: "sns.amazonaws.com" }))).toEqual([
      "lets sns.amazonaws.com invoke without a source_arn",
    ]);
    expect(
      await findings(lambdaPermissionsScoped, permission({ principal: "apigateway.amazonaws.com", source_arn: "${aws_apigatewayv2_api.a.execution_arn}/*/*" })),
    ).toEqual(["source_arn ${aws_apigatewayv2_api.a.execution_arn}/*/* allows every method of the API"]);
    expect(await findings(lambdaPermissionsScoped, permission({ principal: "*" }))).toEqual(['allows principal "*"']);
  });
});

describe("DDB1 DynamoDB tables", () => {
  const table = (body: Block): TerraformJson => ({ resource: { aws_dynamodb_table: { t: { name: "t", ...body } } } });
  it("accepts a CMK and point-in-time recovery", async () => {
    expect(
      await findings(
        dynamodbTablesEncryptedAndRecoverable,
        table({ server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.k.arn}" }, point_in_time_recovery: { enabled: true } }),
      ),
    ).toEqual([]);
  });
  it("flags the AWS owned key and no point-in-time recovery", async () => {
    expect(await findings(dynamodbTablesEncryptedAndRecoverable, table({ server_side_encryption: { enabled: true } }))).toEqual([
      "is not encrypted with a customer managed key",
      "has no point-in-time recovery",
    ]);
  });
});

describe("SQS1 SQS queues", () => {
  it("accepts a CMK and flags SQS-managed or AWS managed encryption", async () => {
    const queue = (body: Block): TerraformJson => ({ resource: { aws_sqs_queue: { q: { name: "q", ...body } } } });
    expect(await findings(sqsQueuesEncryptedWithCmk, queue({ kms_master_key_id: "${aws_kms_key.k.arn}" }))).toEqual([]);
    expect(await findings(sqsQueuesEncryptedWithCmk, queue({ sqs_managed_sse_enabled: true }))).toEqual(["is not encrypted with a customer managed key"]);
    expect(await findings(sqsQueuesEncryptedWithCmk, queue({ kms_master_key_id: "alias/aws/sqs" }))).toEqual(["is not encrypted with a customer managed key"]);
  });
});

describe("EVT1 EventBridge targets", () => {
  const target = (body: Block): TerraformJson => ({ resource: { aws_cloudwatch_event_target: { t: { rule: "r", ...body } } } });
  const retry = { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 10 };
  it("accepts a state machine target with retries and a DLQ, and a bus target with retries", async () => {
    expect(
      await findings(
        eventTargetsRetryAndKeepFailures,
        target({ arn: "arn:aws:states:us-east-1:100000000001:stateMachine:m", retry_policy: retry, dead_letter_config: { arn: "${aws_sqs_queue.q.arn}" } }),
      ),
    ).toEqual([]);
    expect(
      await findings(eventTargetsRetryAndKeepFailures, target({ arn: "arn:aws:events:us-east-1:100000000001:event-bus/central", retry_policy: retry })),
    ).toEqual([]);
  });
  it("flags a function target without a DLQ and a target without retries", async () => {
    expect(await findings(eventTargetsRetryAndKeepFailures, target({ arn: "${aws_lambda_function.f.arn}", retry_policy: retry }))).toEqual([
      "starts a workflow without a dead_letter_config",
    ]);
    expect(await findings(eventTargetsRetryAndKeepFailures, target({ arn: "arn:aws:events:us-east-1:100000000001:event-bus/central" }))).toEqual([
      "has no retry_policy",
    ]);
  });
});

describe("SCHED1 schedules", () => {
  const schedule = {
    kms_key_arn: key,
    target: {
      arn: "arn:aws:states:us-east-1:1:stateMachine:x",
      role_arn: "${aws_iam_role.r.arn}",
      dead_letter_config: { arn: "arn:aws:sqs:us-east-1:1:dlq" },
      retry_policy: { maximum_retry_attempts: 5, maximum_event_age_in_seconds: 3600 },
    },
  };
  it("accepts a schedule with role, dead-letter queue, bounded retry and CMK", async () => {
    expect(await findings(schedulesBoundedAndEncrypted, one("aws_scheduler_schedule", schedule))).toEqual([]);
  });
  it("flags a schedule without dead-letter queue, retry bound and key", async () => {
    expect(await findings(schedulesBoundedAndEncrypted, one("aws_scheduler_schedule", { target: { arn: "x", role_arn: "r" } }))).toEqual([
      "has no dead-letter queue",
      "has no bounded retry policy",
      "has no kms_key_arn",
    ]);
  });
});

describe("SEC1 secrets", () => {
  it("accepts a secret with a CMK and no value", async () => {
    expect(await findings(secretsOutsideTerraform, one("aws_secretsmanager_secret", { name: "s", kms_key_id: key }))).toEqual([]);
  });
  it("flags a secret without a CMK and a value written by Terraform", async () => {
    const json: TerraformJson = {
      resource: {
        aws_secretsmanager_secret: { s: { name: "s" } },
        aws_secretsmanager_secret_version: { v: { secret_id: "x", secret_string: "https://hooks.slack.com/services/T/B/x" } },
      },
    };
    expect(await findings(secretsOutsideTerraform, json)).toEqual(["is not encrypted with a customer managed key", "puts a secret value into Terraform"]);
  });
});

describe("ATH1 Athena workgroups", () => {
  it("accepts an enforced workgroup with SSE-KMS results", async () => {
    const body = {
      configuration: {
        enforce_workgroup_configuration: true,
        result_configuration: { encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: key } },
      },
    };
    expect(await findings(athenaResultsEncrypted, one("aws_athena_workgroup", body))).toEqual([]);
  });
  it("flags an unenforced workgroup with SSE-S3 results", async () => {
    const body = {
      configuration: { enforce_workgroup_configuration: false, result_configuration: { encryption_configuration: { encryption_option: "SSE_S3" } } },
    };
    expect(await findings(athenaResultsEncrypted, one("aws_athena_workgroup", body))).toEqual([
      "does not enforce its configuration",
      "does not encrypt results with a KMS key",
    ]);
  });
});

describe("LAM2 Lambda environments", () => {
  it("LAM2 accepts names of secrets and flags a webhook URL in the environment", async () => {
    expect(
      await findings(lambdaEnvironmentWithoutCredentials, one("aws_lambda_function", { environment: { variables: { CHANNEL_SECRET: "patchline/chat/ops" } } })),
    ).toEqual([]);
    const leaky = {
      environment: {
        variables: { TEAMS_URL: "https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=xyz" },
      },
    };
    expect(await findings(lambdaEnvironmentWithoutCredentials, one("aws_lambda_function", leaky))).toEqual([
      "environment variable TEAMS_URL holds a URL credential",
    ]);
  });
});

describe("CFG1 Config rules", () => {
  it("accepts a scoped Guard rule and a scoped managed rule", async () => {
    const json: TerraformJson = {
      resource: {
        aws_config_config_rule: {
          guard: {
            scope: { compliance_resource_types: ["AWS::EC2::Instance"] },
            source: { owner: "CUSTOM_POLICY", custom_policy_details: { policy_runtime: "guard-2.x.x", policy_text: "rule x {}" } },
          },
          managed: { scope: { compliance_resource_types: ["AWS::EC2::Instance"] }, source: { owner: "AWS", source_identifier: "EC2_INSTANCE_MANAGED_BY_SSM" } },
        },
      },
    };
    expect(await findings(configRulesScopedWithoutCode, json)).toEqual([]);
  });
  it("flags an unscoped custom Lambda rule", async () => {
    expect(
      await findings(
        configRulesScopedWithoutCode,
        one("aws_config_config_rule", { source: { owner: "CUSTOM_LAMBDA", source_identifier: "arn:aws:lambda:us-east-1:1:function:f" } }),
      ),
    ).toEqual(["is not scoped to resource types", "runs a custom Lambda function"]);
  });
});
