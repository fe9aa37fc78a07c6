import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf, resourcesOf, type Block, type TerraformJson } from "../../test/support/terraform-json.js";
import { approvalSettingsOf } from "./definition.js";
import type { StateMachineDefinition } from "../core/asl.js";
import { centralKeyArn, synthApprovalWorkflow } from "../../test/support/approval-workflow-synth.js";

const key = { arn: centralKeyArn };
const synth = (config: OrgConfig = exampleConfig): TerraformJson => synthApprovalWorkflow(config);

const json = synth();
const fn = (kind: string) => bodiesOf(json, "aws_lambda_function").find((f) => f.function_name === `patchline-approval-${kind}`)!;
const policyOf = (kind: string) =>
  bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => String(b.role).includes(`${kind[0]!.toUpperCase()}${kind.slice(1)}Function`)));

describe("ApprovalWorkflow: stored data", () => {
  it("keeps approvals in a table encrypted with the central key, with point-in-time recovery, TTL and deletion protection", () => {
    expect(bodiesOf(json, "aws_dynamodb_table")).toEqual([
      expect.objectContaining({
        name: "patchline-approvals",
        billing_mode: "PAY_PER_REQUEST",
        hash_key: "pk",
        server_side_encryption: { enabled: true, kms_key_arn: key.arn },
        point_in_time_recovery: { enabled: true },
        ttl: { attribute_name: "expiresAt", enabled: true },
        deletion_protection_enabled: true,
      }),
    ]);
  });

  it("signs links with a KMS HMAC key (its policy: link-key.test.ts)", () => {
    expect(bodiesOf(json, "aws_kms_key")).toEqual([expect.objectContaining({ customer_master_key_spec: "HMAC_256", key_usage: "GENERATE_VERIFY_MAC" })]);
    expect(bodiesOf(json, "aws_kms_alias")).toEqual([expect.objectContaining({ name: "alias/patchline-approval-links" })]);
  });

  it("subscribes each approver to the approvals topic for the environments they approve", () => {
    const subscriptions = bodiesOf(json, "aws_sns_topic_subscription").filter((s) => String(s.topic_arn).includes("Topics_Approvals"));
    expect(subscriptions.map((s) => [s.endpoint, s.filter_policy, s.filter_policy_scope])).toEqual([
      ["dev-leads@example.com", '{"environment":["dev"]}', "MessageAttributes"],
      ["preprod-approvers@example.com", '{"environment":["preprod"]}', "MessageAttributes"],
      ["prod-change-board@example.com", '{"environment":["prod"]}', "MessageAttributes"],
    ]);
  });

  it("gives an address that approves in several environments one subscription listing them", () => {
    const shared = synth(parseOrgConfig(exampleWith((d) => (d.environments.prod.approval.approverEmails = ["dev-leads@example.com"]))));
    const subscriptions = bodiesOf(shared, "aws_sns_topic_subscription").filter((s) => s.endpoint === "dev-leads@example.com");
    expect(subscriptions.map((s) => s.filter_policy)).toEqual(['{"environment":["dev","prod"]}']);
  });

  it("sends escalations to their own topic's subscribers; both topics encrypted", () => {
    expect(bodiesOf(json, "aws_sns_topic").map((t) => [t.name, t.kms_master_key_id])).toEqual([
      ["patchline-approvals", key.arn],
      ["patchline-approval-escalations", key.arn],
    ]);
    expect(
      bodiesOf(json, "aws_sns_topic_subscription")
        .filter((s) => String(s.topic_arn).includes("Escalations"))
        .map((s) => s.endpoint),
    ).toEqual(["platform-oncall@example.com"]);
  });
});

describe("ApprovalWorkflow: state machine", () => {
  const definition = () => JSON.parse(String(bodiesOf(json, "aws_sfn_state_machine")[0]!.definition)) as StateMachineDefinition;

  it("renders every environment's settings into the definition, readable in a plan", () => {
    expect(approvalSettingsOf(definition())).toEqual({
      dev: expect.objectContaining({ onNoResponse: "approve", backupBeforePatch: false, reminderIntervalHours: 8, reminderCount: 1 }),
      preprod: expect.objectContaining({ onNoResponse: "approve", backupBeforePatch: true }),
      prod: expect.objectContaining({ onNoResponse: "reject", backupBeforePatch: true, backupTimeoutMinutes: 180, patchTimeoutMinutes: 240 }),
    });
  });

  it("calls the functions by plain ARNs derived from config", () => {
    const resources = Object.values(definition().States).flatMap((s) => ("Resource" in s ? [s.Resource] : []));
    expect(resources).toContain("arn:aws:lambda:us-east-1:100000000001:function:patchline-approval-instance");
    expect(JSON.stringify(definition())).not.toContain("${");
  });

  it("may invoke exactly the four functions it calls, and report to the notifications topic", () => {
    const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => String(b.role).includes("Workflow")));
    expect(statements.InvokeApprovalFunctions!.resources).toEqual(
      ["request", "outcome", "instance", "patch"].map((k) => `arn:aws:lambda:us-east-1:100000000001:function:patchline-approval-${k}`),
    );
    expect(statements.ReportUnrecordedOutcomes!.resources).toEqual(["arn:aws:sns:us-east-1:100000000001:patchline-notifications"]);
  });

  it("alarms the platform team on runs that failed, timed out or were aborted", () => {
    const alarm = bodiesOf(json, "aws_cloudwatch_metric_alarm").find((a) => a.alarm_name === "patchline-approval-runs-failed")!;
    expect(alarm).toMatchObject({
      alarm_actions: ["arn:aws:sns:us-east-1:100000000001:patchline-notifications"],
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
    });
    expect((alarm.metric_query as Block[]).map((q) => (q.metric as Block | undefined)?.metric_name ?? q.expression)).toEqual([
      "ExecutionsFailed",
      "ExecutionsTimedOut",
      "ExecutionsAborted",
      "m0 + m1 + m2",
    ]);
  });
});

describe("ApprovalWorkflow: functions", () => {
  it("builds the five functions from their zips", () => {
    expect(
      bodiesOf(json, "aws_lambda_function")
        .map((f) => [f.function_name, f.source_code_hash])
        .sort(),
    ).toEqual(["callback", "instance", "outcome", "patch", "request"].map((k) => [`patchline-approval-${k}`, `hash-of-${k}`]));
  });

  it("caps the approval page's function with reserved concurrency", () => {
    expect(fn("callback").reserved_concurrent_executions).toBe(10);
  });

  it("configures the request function with the API's URL, the link key and the org's approval settings", () => {
    expect((fn("request").environment as Block).variables).toMatchObject({
      APPROVALS_TABLE: "patchline-approvals",
      LINK_KEY_ID: expect.stringMatching(/^\$\{aws_kms_key\.Approval_LinkKey_.+\.arn\}$/),
      APPROVAL_API_URL: expect.stringMatching(/^\$\{aws_apigatewayv2_api\..+\.api_endpoint\}$/),
      OWNER_TAG_KEY: "Owner",
      LINK_VALIDITY_SECONDS: "259200",
      RECORD_RETENTION_DAYS: "400",
      SENDER_ADDRESS: "patchline@example.com",
      // org.email.ownerDomains left out: the domains of the example's sender, approver, escalation and notification addresses
      OWNER_EMAIL_DOMAINS: "example.com",
    });
    expect((fn("outcome").environment as Block).variables).toMatchObject({ SENDER_ADDRESS: "patchline@example.com", OWNER_EMAIL_DOMAINS: "example.com" });
  });

  it("sends command output where the maintenance windows send theirs", () => {
    expect((fn("patch").environment as Block).variables).toMatchObject({
      MEMBER_ROLE_NAME: "patchline-approval-access",
      OUTPUT_BUCKET: "patchline-logs-100000000001-us-east-1",
      OUTPUT_KEY_PREFIX_TEMPLATE: "run-command/{environment}/{account}/{region}",
      RUN_COMMAND_LOG_GROUP: "/patchline/run-command",
    });
  });

  it.each([
    ["callback", ["dynamodb:GetItem", "dynamodb:UpdateItem", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:VerifyMac", "states:SendTaskSuccess"]],
    [
      "request",
      [
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:GenerateMac",
        "secretsmanager:GetSecretValue",
        "ses:SendEmail",
        "sns:Publish",
        "states:SendTaskSuccess",
      ],
    ],
    [
      "outcome",
      [
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "ses:SendEmail",
        "sns:Publish",
      ],
    ],
    ["instance", ["kms:Decrypt", "s3:GetObject", "sts:AssumeRole"]],
    ["patch", ["sts:AssumeRole"]],
  ])(
    "the %s function's role grants exactly these actions besides its logs and traces (test/function-permissions.synth.test.ts ties them to the code; this pins which calls of the shared table and signer each function makes)",
    (kind, actions) => {
      const granted = Object.entries(policyOf(kind))
        .filter(([sid]) => sid !== "WriteOwnLogs" && sid !== "WriteTraces")
        .flatMap(([, s]) => s.actions);
      expect([...new Set(granted)].sort()).toEqual(actions);
    },
  );

  it("lets only the request function sign links and only the callback verify them", () => {
    expect(policyOf("request").SignLinks!.actions).toEqual(["kms:GenerateMac"]);
    expect(policyOf("callback").VerifyLinkSignatures!.actions).toEqual(["kms:VerifyMac"]);
    expect(JSON.stringify(policyOf("outcome"))).not.toContain("kms:GenerateMac");
  });

  it("uses the central key only through DynamoDB and SNS", () => {
    expect(policyOf("request").UseCentralKeyThroughTableAndTopics!.conditions).toEqual([
      { test: "StringEquals", variable: "kms:ViaService", values: ["dynamodb.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com"] },
    ]);
  });

  it("lets the instance function read the fleet catalog (and nothing else of the reports bucket), decrypting through S3 only", () => {
    expect(policyOf("instance").ReadFleetCatalog!.resources).toEqual(["arn:aws:s3:::patchline-reports-100000000001-us-east-1/catalog/fleet.json"]);
    expect(policyOf("instance").DecryptTheCatalog!.conditions).toEqual([
      { test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] },
    ]);
  });

  it("lets the member-call functions assume only the approval access role, inside the organization", () => {
    for (const kind of ["instance", "patch"]) {
      expect(policyOf(kind).AssumeMemberApprovalAccessRole).toMatchObject({
        resources: ["arn:aws:iam::*:role/patchline-approval-access"],
        conditions: [{ test: "StringEquals", variable: "aws:ResourceOrgID", values: ["o-exampleorg1"] }],
      });
    }
  });

  it("mails owners only from the configured sender identity, and not at all without one", () => {
    expect(policyOf("request").MailOwnersFromTheSenderIdentity!.resources).toEqual([
      "arn:aws:ses:us-east-1:100000000001:identity/patchline@example.com",
      "arn:aws:ses:us-east-1:100000000001:identity/example.com",
    ]);
    const withoutSender = synth(parseOrgConfig(exampleWith((d) => delete d.org.email)));
    expect(JSON.stringify(withoutSender)).not.toContain("ses:SendEmail");
  });
});

describe("ApprovalWorkflow: approval page API", () => {
  it("routes GET and POST /approvals/{approvalId} to the callback, throttled and access-logged without paths or queries", () => {
    expect(bodiesOf(json, "aws_apigatewayv2_route").map((r) => [r.route_key, r.authorization_type])).toEqual([
      ["GET /approvals/{approvalId}", "NONE"],
      ["POST /approvals/{approvalId}", "NONE"],
    ]);
    const [stage] = bodiesOf(json, "aws_apigatewayv2_stage");
    expect(stage).toMatchObject({ name: "$default", auto_deploy: true, default_route_settings: { throttling_rate_limit: 10, throttling_burst_limit: 20 } });
    const format = String((stage!.access_log_settings as Block).format);
    expect(JSON.parse(format)).toMatchObject({ routeKey: "$context.routeKey", status: "$context.status", sourceIp: "$context.identity.sourceIp" });
    expect(format).not.toMatch(/path|querystring/i);
  });

  it("lets API Gateway invoke the callback for these two routes only", () => {
    expect(bodiesOf(json, "aws_lambda_permission").map((p) => [p.principal, String(p.source_arn).replace(/^\$\{[^}]+\}/, "<api>")])).toEqual([
      ["apigateway.amazonaws.com", "<api>/*/GET/approvals/*"],
      ["apigateway.amazonaws.com", "<api>/*/POST/approvals/*"],
    ]);
  });

  it("with org.approval.jwt: a JWT authorizer guards the decision route, and the callback requires its claims", () => {
    const withJwt = synth(
      parseOrgConfig(exampleWith((d) => (d.org.approval.jwt = { issuer: "https://login.example.com/oauth2/default", audience: ["patchline-approvals"] }))),
    );
    expect(bodiesOf(withJwt, "aws_apigatewayv2_authorizer")).toEqual([
      expect.objectContaining({
        authorizer_type: "JWT",
        identity_sources: ["$request.header.Authorization"],
        jwt_configuration: { issuer: "https://login.example.com/oauth2/default", audience: ["patchline-approvals"] },
      }),
    ]);
    expect(bodiesOf(withJwt, "aws_apigatewayv2_route").map((r) => r.authorization_type)).toEqual(["NONE", "JWT"]);
    const callback = bodiesOf(withJwt, "aws_lambda_function").find((f) => f.function_name === "patchline-approval-callback")!;
    expect((callback.environment as Block).variables).toMatchObject({ JWT_ISSUER: "https://login.example.com/oauth2/default" });
  });
});

describe("ApprovalWorkflow: trigger", () => {
  it("starts the state machine for patch non-compliance events on the central bus", () => {
    const [rule] = bodiesOf(json, "aws_cloudwatch_event_rule");
    expect(rule).toMatchObject({ name: "patchline-start-approval", event_bus_name: "patchline-central" });
    expect(JSON.parse(String(rule!.event_pattern))).toEqual({
      source: ["aws.ssm"],
      "detail-type": ["Configuration Compliance State Change"],
      detail: { "compliance-type": ["Patch"], "compliance-status": [{ "equals-ignore-case": "non_compliant" }] },
    });
    expect(bodiesOf(json, "aws_cloudwatch_event_target")[0]).toMatchObject({
      arn: "arn:aws:states:us-east-1:100000000001:stateMachine:patchline-approval",
      retry_policy: { maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 },
      dead_letter_config: { arn: expect.stringMatching(/^\$\{aws_sqs_queue\..+\.arn\}$/) },
    });
  });

  it("uses a role only EventBridge acting for this rule may assume, to start only this state machine", () => {
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy", (b) => b.name === "patchline-approval-trigger");
    expect(trust!.conditions).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["100000000001"] },
      { test: "ArnEquals", variable: "aws:SourceArn", values: ["arn:aws:events:us-east-1:100000000001:rule/patchline-central/patchline-start-approval"] },
    ]);
    const [start] = statementsOf(json, "aws_iam_role_policy", "policy", (b) => b.name === "start-approval-workflow");
    expect(start).toMatchObject({ actions: ["states:StartExecution"], resources: ["arn:aws:states:us-east-1:100000000001:stateMachine:patchline-approval"] });
  });

  it("keeps undeliverable events in an encrypted queue only the rule writes to, and alarms on it", () => {
    expect(bodiesOf(json, "aws_sqs_queue")[0]).toMatchObject({ name: "patchline-approval-trigger-dlq", kms_master_key_id: key.arn });
    const [write] = statementsOf(json, "aws_sqs_queue_policy", "policy");
    expect(write).toMatchObject({ actions: ["sqs:SendMessage"], principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }] });
    expect(bodiesOf(json, "aws_cloudwatch_metric_alarm").find((a) => a.alarm_name === "patchline-approval-trigger-dlq-not-empty")).toMatchObject({
      dimensions: { QueueName: "patchline-approval-trigger-dlq" },
      alarm_actions: ["arn:aws:sns:us-east-1:100000000001:patchline-notifications"],
    });
  });
});

it("has one resource of each stateful kind", () => {
  expect(["aws_dynamodb_table", "aws_sfn_state_machine", "aws_kms_key"].map((type) => resourcesOf(json, type).length)).toEqual([1, 1, 1]);
});
