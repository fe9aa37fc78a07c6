import { describe, expect, it } from "vitest";
import type { Block, TerraformJson } from "../support/terraform-json.js";
import type { Rule } from "./rule.js";
import { athenaResultsEncrypted } from "./rules/analytics.js";
import { configRulesScopedWithoutCode } from "./rules/config-rules.js";
import { dynamodbTablesEncryptedAndRecoverable } from "./rules/dynamodb-tables.js";
import { eventTargetsRetryAndKeepFailures } from "./rules/event-targets.js";
import { lambdaEnvironmentWithoutCredentials } from "./rules/lambda-environment.js";
import { lambdaPermissionsScoped } from "./rules/lambda-permissions.js";
import { sqsQueuesEncryptedWithCmk } from "./rules/sqs-queues.js";
import { schedulesBoundedAndEncrypted } from "./rules/schedules.js";
import { secretsOutsideTerraform } from "./rules/secrets.js";

async function findings(rule: Rule, json: TerraformJson): Promise<string[]> {
  return (await rule.check(json)).map((f) => f.message);
}
const one = (type: string, body: Block): TerraformJson => ({ resource: { [type]: { r: body } } });
const key = "arn:aws:kms:us-east-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("SCHED1 schedules", () => {
  const schedule = {
    kms_key_arn: key,
    target: { arn: "arn:aws:states:us-east-1:1:stateMachine:x", role_arn: "${aws_iam_role.r.arn}", dead_letter_config: { arn: "arn:aws:sqs:us-east-1:1:dlq" }, retry_policy: { maximum_retry_attempts: 5, maximum_event_age_in_seconds: 3600 } },
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

describe("SQS1 queues (shared with the approval workflow)", () => {
  it("accepts a CMK and flags the AWS managed key", async () => {
    expect(await findings(sqsQueuesEncryptedWithCmk, one("aws_sqs_queue", { kms_master_key_id: key }))).toEqual([]);
    expect(await findings(sqsQueuesEncryptedWithCmk, one("aws_sqs_queue", { kms_master_key_id: "alias/aws/sqs" }))).toEqual(["is not encrypted with a customer managed key"]);
  });
});

describe("SEC1 secrets", () => {
  it("accepts a secret with a CMK and no value", async () => {
    expect(await findings(secretsOutsideTerraform, one("aws_secretsmanager_secret", { name: "s", kms_key_id: key }))).toEqual([]);
  });
  it("flags a secret without a CMK and a value written by Terraform", async () => {
    const json: TerraformJson = { resource: { aws_secretsmanager_secret: { s: { name: "s" } }, aws_secretsmanager_secret_version: { v: { secret_id: "x", secret_string: "https://hooks.slack.com/services/T/B/x" } } } };
    expect(await findings(secretsOutsideTerraform, json)).toEqual(["is not encrypted with a customer managed key", "puts a secret value into Terraform"]);
  });
});

describe("ATH1 Athena workgroups", () => {
  it("accepts an enforced workgroup with SSE-KMS results", async () => {
    const body = { configuration: { enforce_workgroup_configuration: true, result_configuration: { encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: key } } } };
    expect(await findings(athenaResultsEncrypted, one("aws_athena_workgroup", body))).toEqual([]);
  });
  it("flags an unenforced workgroup with SSE-S3 results", async () => {
    const body = { configuration: { enforce_workgroup_configuration: false, result_configuration: { encryption_configuration: { encryption_option: "SSE_S3" } } } };
    expect(await findings(athenaResultsEncrypted, one("aws_athena_workgroup", body))).toEqual(["does not enforce its configuration", "does not encrypt results with a KMS key"]);
  });
});

describe("EVT1 event targets (shared with the approval workflow)", () => {
  it("accepts a bus target with a retry policy and a function target with a dead-letter queue", async () => {
    const json: TerraformJson = {
      resource: {
        aws_cloudwatch_event_target: {
          bus: { arn: "arn:aws:events:us-east-1:1:event-bus/central", retry_policy: { maximum_retry_attempts: 185 } },
          fn: { arn: "${aws_lambda_function.f.arn}", retry_policy: { maximum_retry_attempts: 20 }, dead_letter_config: { arn: "arn:aws:sqs:us-east-1:1:dlq" } },
        },
      },
    };
    expect(await findings(eventTargetsRetryAndKeepFailures, json)).toEqual([]);
  });
  it("flags a function target without dead-letter queue and a target without retry policy", async () => {
    expect(await findings(eventTargetsRetryAndKeepFailures, one("aws_cloudwatch_event_target", { arn: "arn:aws:lambda:us-east-1:1:function:f" }))).toEqual([
      "has no retry_policy",
      "starts a workflow without a dead_letter_config",
    ]);
  });
});

describe("LAM1 and LAM2 Lambda", () => {
  it("LAM1 accepts a service permission with a source ARN and flags one without", async () => {
    const permission = { action: "lambda:InvokeFunction", principal: "events.amazonaws.com", function_name: "f" };
    expect(await findings(lambdaPermissionsScoped, one("aws_lambda_permission", { ...permission, source_arn: "arn:aws:events:us-east-1:1:rule/r" }))).toEqual([]);
    expect(await findings(lambdaPermissionsScoped, one("aws_lambda_permission", permission))).toEqual(["lets events.amazonaws.com invoke without a source_arn"]);
  });
  it("LAM2 accepts names of secrets and flags a webhook URL in the environment", async () => {
    expect(await findings(lambdaEnvironmentWithoutCredentials, one("aws_lambda_function", { environment: { variables: { CHANNEL_SECRET: "patchline/chat/ops" } } }))).toEqual([]);
    const leaky = { environment: { variables: { TEAMS_URL: "https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=xyz" } } };
    expect(await findings(lambdaEnvironmentWithoutCredentials, one("aws_lambda_function", leaky))).toEqual(["environment variable TEAMS_URL holds a URL credential"]);
  });
});

describe("DDB1 DynamoDB (shared with the approval workflow)", () => {
  it("accepts a CMK and point-in-time recovery", async () => {
    expect(await findings(dynamodbTablesEncryptedAndRecoverable, one("aws_dynamodb_table", { server_side_encryption: { enabled: true, kms_key_arn: key }, point_in_time_recovery: { enabled: true } }))).toEqual([]);
  });
  it("flags the AWS owned key and no recovery", async () => {
    expect(await findings(dynamodbTablesEncryptedAndRecoverable, one("aws_dynamodb_table", { name: "t" }))).toEqual(["is not encrypted with a customer managed key", "has no point-in-time recovery"]);
  });
});

describe("CFG1 Config rules", () => {
  it("accepts a scoped Guard rule and a scoped managed rule", async () => {
    const json: TerraformJson = {
      resource: {
        aws_config_config_rule: {
          guard: { scope: { compliance_resource_types: ["AWS::EC2::Instance"] }, source: { owner: "CUSTOM_POLICY", custom_policy_details: { policy_runtime: "guard-2.x.x", policy_text: "rule x {}" } } },
          managed: { scope: { compliance_resource_types: ["AWS::EC2::Instance"] }, source: { owner: "AWS", source_identifier: "EC2_INSTANCE_MANAGED_BY_SSM" } },
        },
      },
    };
    expect(await findings(configRulesScopedWithoutCode, json)).toEqual([]);
  });
  it("flags an unscoped custom Lambda rule", async () => {
    expect(await findings(configRulesScopedWithoutCode, one("aws_config_config_rule", { source: { owner: "CUSTOM_LAMBDA", source_identifier: "arn:aws:lambda:us-east-1:1:function:f" } }))).toEqual([
      "is not scoped to resource types",
      "runs a custom Lambda function",
    ]);
  });
});
