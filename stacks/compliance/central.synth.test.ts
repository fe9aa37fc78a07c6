import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { parseFleetCatalog } from "../../contracts/fleet-catalog.js";
import { generatedOrganization } from "../../test/fixtures/organizations/generated.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { synthOrg } from "../../test/support/synth.js";
import { bodiesOf, resourcesOf, type Block } from "../../test/support/terraform-json.js";
import type { StateMachineDefinition } from "../core/asl.js";
import { alarmTopic, centralKey as key, functionStatementsIn, namedIn, synthCompliance } from "../../test/support/compliance-synth.js";

/** Targets and destinations name the queue by reference: AWS checks the queue when they are configured, so it must exist first. */
const dlqReference = expect.stringMatching(/^\$\{aws_sqs_queue\.Compliance_DeadLetterQueue_[0-9A-F]{8}\.arn\}$/);
const synth = synthCompliance;
const json = synth();
const named = namedIn(json);
const functionStatements = functionStatementsIn(json);

describe("compliance storage", () => {
  it("keeps reports encrypted with the central key and expires runs, reports and Athena results, never the catalog", () => {
    const encryption = bodiesOf(json, "aws_s3_bucket_server_side_encryption_configuration").find((b) => String(b.bucket).includes("Reports"))!;
    expect(encryption.rule).toEqual([
      expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key.arn } }),
    ]);
    const lifecycle = bodiesOf(json, "aws_s3_bucket_lifecycle_configuration").find((b) => String(b.bucket).includes("Reports"))!;
    expect((lifecycle.rule as Block[]).map((r) => (r.filter as Block[])[0]!.prefix)).toEqual(["runs/", "reports/", "athena-results/"]);
    expect((lifecycle.rule as Block[])[0]!.expiration).toEqual([{ days: 400 }]);
  });

  it("lets only patchline's resource data syncs of the organization's accounts write below the sync prefix, with the owner-full-control ACL", () => {
    const statements = bySid(statementsOf(json, "aws_s3_bucket_policy", "policy", (b) => String(b.bucket).includes("Data")));
    expect(statements.ResourceDataSyncDelivers).toMatchObject({
      actions: ["s3:PutObject"],
      resources: ["arn:aws:s3:::patchline-patch-data-100000000001-us-east-1/resource-data-sync/*/accountid=*/*"],
      principals: [{ type: "Service", identifiers: ["ssm.amazonaws.com"] }],
      conditions: [
        { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
        { test: "StringEquals", variable: "aws:SourceOrgID", values: [exampleConfig.org.organizationId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:ssm:*:*:resource-data-sync/patchline-compliance"] },
      ],
    });
    expect(statements.ResourceDataSyncChecksBucketAcl).toMatchObject({
      actions: ["s3:GetBucketAcl"],
      conditions: [{ test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:ssm:*:*:resource-data-sync/patchline-compliance"] }],
    });
  });

  it("names no member account in the data bucket policy: the same policy for 1 or 1,300 accounts", () => {
    const policyOf = (accounts: number) =>
      statementsOf(synth(parseOrgConfig(generatedOrganization({ accounts }))), "aws_s3_bucket_policy", "policy", (b) => String(b.bucket).includes("Data"));
    expect(policyOf(1_300)).toEqual(policyOf(1));
  });

  it("writes the fleet catalog from config: names of secrets and topics, never a URL", () => {
    const object = named("aws_s3_object", "catalog/fleet.json", "key");
    const catalog = parseFleetCatalog(JSON.parse(String(object.content)));
    expect(catalog.environments.map((e) => [e.name, e.accounts.length, e.noticeLeadHours])).toEqual([
      ["dev", 2, 24],
      ["preprod", 2, 24],
      ["prod", 3, 48],
    ]);
    expect(catalog.channels).toContainEqual({ name: "security-slack", type: "slack", destination: "patchline/chat/security-slack" });
    expect(catalog.channels).toContainEqual({
      name: "patching-mail",
      type: "email",
      destination: "arn:aws:sns:us-east-1:100000000001:patchline-channel-patching-mail",
    });
    expect(String(object.content)).not.toMatch(/https?:\/\//);
  });

  it("writes the owner domains into the fleet catalog: the notices and the report mail and judge owners by them", () => {
    const catalogOf = (config = exampleConfig) => {
      const object = bodiesOf(synth(config), "aws_s3_object").find((b) => b.key === "catalog/fleet.json")!;
      return parseFleetCatalog(JSON.parse(String(object.content)));
    };
    const configured = parseOrgConfig(
      exampleWith((d) => {
        d.org.email = { senderAddress: "patchline@example.com", ownerDomains: ["*.corp.example", "example.com"] };
      }),
    );
    expect(catalogOf(configured).ownerEmailDomains).toEqual(["*.corp.example", "example.com"]);
    const withoutMail = parseOrgConfig(
      exampleWith((d) => {
        delete d.org.email;
      }),
    );
    expect(catalogOf(withoutMail).ownerEmailDomains).toEqual([]);
  });

  it("writes the accounts reference table for Athena from a file next to the stack, named by its content's hash in the plan", () => {
    const { outdir, stacks } = synthOrg();
    onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
    const central = stacks.get("central")!;
    const object = bodiesOf(central.json, "aws_s3_object").find((b) => b.key === "reference/accounts/accounts.csv")!;
    expect(object.content).toBeUndefined();
    const text = readFileSync(join(central.dir, String(object.source)), "utf8");
    expect(text).toBe(
      "account_id,account_name,environment\n200000000001,payments-dev,dev\n200000000002,web-dev,dev\n300000000001,payments-preprod,preprod\n300000000002,web-preprod,preprod\n400000000001,payments-prod,prod\n400000000002,web-prod,prod\n400000000003,data-prod,prod\n",
    );
    expect(object.source_hash).toBe(createHash("md5").update(text).digest("hex"));
  });

  it("writes the fleet catalog on one line: Terraform renders a string of many lines line by line, slowly at 10,000 accounts", () => {
    expect(String(named("aws_s3_object", "catalog/fleet.json", "key").content)).not.toContain("\n");
  });
});

describe("compliance analytics", () => {
  it("reads every account's sync objects below each type's prefix: no partitions, no projection, no crawler", () => {
    const table = named("aws_glue_catalog_table", "complianceitem");
    expect(table.parameters).toEqual({ classification: "json" });
    expect(table.partition_keys).toBeUndefined();
    expect((table.storage_descriptor as Block).location).toBe("s3://patchline-patch-data-100000000001-us-east-1/resource-data-sync/AWS:ComplianceItem/");
    expect((table.storage_descriptor as Block).ser_de_info).toMatchObject({ serialization_library: "org.openx.data.jsonserde.JsonSerDe" });
    expect(bodiesOf(json, "aws_glue_crawler")).toEqual([]);
  });

  it("encrypts Athena results with the central key and enforces the workgroup's settings", () => {
    expect(named("aws_athena_workgroup", "patchline-compliance").configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      result_configuration: {
        output_location: "s3://patchline-reports-100000000001-us-east-1/athena-results/",
        encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: key.arn },
      },
    });
  });

  it("saves the three reporting queries over the sync data, joined with the accounts table for the environment", () => {
    const sync = ["patchline-instances-pending-reboot", "patchline-missing-critical-patches", "patchline-non-compliant-instances-by-environment"];
    // the queries over patchline's own tables (run history, missing patches) are checked beside those tables
    const queries = Object.fromEntries(
      bodiesOf(json, "aws_athena_named_query")
        .filter((q) => sync.includes(String(q.name)))
        .map((q) => [q.name, String(q.query)]),
    );
    expect(Object.keys(queries).sort()).toEqual(sync);
    for (const sql of Object.values(queries)) {
      expect(sql).toContain("JOIN accounts a ON a.account_id =");
      // account and region come from each object's whole key, as resource data sync writes it into this bucket
      expect(sql).toContain(`regexp_like("$path", '^s3://patchline-patch-data-100000000001-us-east-1/resource-data-sync/AWS:`);
      expect(sql).not.toMatch(/(FROM|JOIN) (complianceitem|patchsummary|tag) (?!t WHERE)/);
    }
    expect(queries["patchline-missing-critical-patches"]).toContain("upper(ci.severity) = 'CRITICAL'");
    expect(queries["patchline-instances-pending-reboot"]).toContain("try_cast(ps.installedpendingrebootcount AS integer) > 0");
  });
});

describe("channels", () => {
  it("creates a secret per chat channel, encrypted with the central key, without a value", () => {
    expect(
      bodiesOf(json, "aws_secretsmanager_secret")
        .map((s) => [s.name, s.kms_key_id])
        .sort(),
    ).toEqual([
      ["patchline/chat/app-teams-slack", key.arn],
      ["patchline/chat/platform-teams", key.arn],
      ["patchline/chat/security-slack", key.arn],
    ]);
    expect(bodiesOf(json, "aws_secretsmanager_secret_version")).toEqual([]);
  });

  it("makes an e-mail channel a topic with its subscribers", () => {
    expect(named("aws_sns_topic", "patchline-channel-patching-mail")).toMatchObject({ kms_master_key_id: key.arn });
    expect(bodiesOf(json, "aws_sns_topic_subscription").map((s) => s.endpoint)).toEqual(["platform-oncall@example.com", "security-governance@example.com"]);
  });
});

describe("the compliance run", () => {
  const machine = named("aws_sfn_state_machine", "patchline-compliance");
  const definition = JSON.parse(String(machine.definition)) as StateMachineDefinition;

  it("collects with the configured concurrency, calling the functions by their ARNs", () => {
    expect(definition.States.CollectTargets).toMatchObject({ MaxConcurrency: 10 });
    expect(definition.States.ListTargets).toMatchObject({ Resource: "arn:aws:lambda:us-east-1:100000000001:function:patchline-compliance-targets" });
  });

  it("may invoke its four functions and nothing else", () => {
    const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => b.name === "state-machine"));
    expect(statements.InvokeRunFunctions!.resources).toEqual(
      ["compliance-targets", "compliance-collector", "compliance-report", "compliance-digest"].flatMap((f) => [
        `arn:aws:lambda:us-east-1:100000000001:function:patchline-${f}`,
        `arn:aws:lambda:us-east-1:100000000001:function:patchline-${f}:*`,
      ]),
    );
  });

  it("runs its Distributed Map with exactly what it needs: its own children, the run's targets, its result files", () => {
    const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => b.name === "state-machine"));
    expect(statements.StartChildExecutions).toMatchObject({
      actions: ["states:StartExecution"],
      resources: ["arn:aws:states:us-east-1:100000000001:stateMachine:patchline-compliance"],
    });
    expect(statements.FollowChildExecutions).toMatchObject({
      actions: ["states:DescribeExecution", "states:StopExecution"],
      resources: ["arn:aws:states:us-east-1:100000000001:execution:patchline-compliance/*"],
    });
    expect(statements.ReadRunTargets!.resources).toEqual(["arn:aws:s3:::patchline-reports-100000000001-us-east-1/runs/*"]);
    expect(statements.WriteChildResults!.resources).toEqual(["arn:aws:s3:::patchline-reports-100000000001-us-east-1/runs/map-results/*"]);
    expect(statements.ReadTargetsWriteResults!.conditions).toEqual([
      { test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] },
    ]);
    expect(definition.States.CollectTargets).toMatchObject({
      ResultWriter: { Parameters: { Bucket: "patchline-reports-100000000001-us-east-1", Prefix: "runs/map-results" } },
      MaxConcurrency: 10,
      ToleratedFailurePercentage: 5,
    });
  });

  it("starts on the configured cron in its time zone, with a dead-letter queue", () => {
    expect(named("aws_scheduler_schedule", "patchline-compliance")).toMatchObject({
      schedule_expression: "cron(0 7 ? * MON-FRI *)",
      schedule_expression_timezone: "Europe/Berlin",
      flexible_time_window: { mode: "OFF" },
      kms_key_arn: key.arn,
      target: { arn: "arn:aws:states:us-east-1:100000000001:stateMachine:patchline-compliance", input: "{}", dead_letter_config: { arn: dlqReference } },
    });
  });

  it("has a schedule role that only Scheduler acting for this schedule may assume, and that may only start the run", () => {
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy", (b) => b.name === "patchline-compliance-schedule");
    expect(trust!.conditions).toContainEqual({
      test: "ArnEquals",
      variable: "aws:SourceArn",
      values: ["arn:aws:scheduler:us-east-1:100000000001:schedule/default/patchline-compliance"],
    });
    const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => b.name === "schedule" && String(b.role).includes("Run_Schedule")));
    expect(statements.StartComplianceRuns).toMatchObject({
      actions: ["states:StartExecution"],
      resources: ["arn:aws:states:us-east-1:100000000001:stateMachine:patchline-compliance"],
    });
  });

  it("lets the collector assume only the member reader role and write only run results", () => {
    const statements = functionStatements("compliance-collector");
    expect(statements.AssumeComplianceReader).toMatchObject({ actions: ["sts:AssumeRole"], resources: ["arn:aws:iam::*:role/patchline-compliance-reader"] });
    expect(statements.WriteTargetResults).toMatchObject({
      actions: ["s3:PutObject"],
      resources: ["arn:aws:s3:::patchline-reports-100000000001-us-east-1/runs/*"],
    });
  });

  it("lets the digest read the chat channels' secrets and publish to the e-mail channels' topics", () => {
    const statements = functionStatements("compliance-digest");
    expect(statements.ReadWebhookUrls!.resources).toContain("arn:aws:secretsmanager:us-east-1:100000000001:secret:patchline/chat/security-slack-??????");
    expect(statements.PublishToEmailChannels!.resources).toEqual(["arn:aws:sns:us-east-1:100000000001:patchline-channel-patching-mail"]);
  });

  it("grants Organizations reads only when organizational units are configured", () => {
    expect(functionStatements("compliance-targets").ListAccountsOfConfiguredUnits).toMatchObject({
      resources: ["arn:aws:organizations::*:ou/o-exampleorg1/*"],
    });
    const withoutUnits = synth(parseOrgConfig(exampleWith((d) => (d.org.compliance.organizationalUnits = []))));
    const statements = statementsOf(withoutUnits, "aws_iam_role_policy", "policy", (b) => String(b.role).includes("compliance-targets"));
    expect(statements.map((s) => s.sid)).not.toContain("ListAccountsOfConfiguredUnits");
  });
});

describe("impending-patch notices", () => {
  it("record sent notices in an encrypted table with point-in-time recovery and a TTL", () => {
    expect(named("aws_dynamodb_table", "patchline-patch-notices")).toMatchObject({
      hash_key: "pk",
      range_key: "sk",
      ttl: { attribute_name: "expiresAt", enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: key.arn },
      point_in_time_recovery: { enabled: true },
    });
  });

  it("are looked for every 15 minutes by one function run at a time, which mails owners from the SES sender", () => {
    expect(named("aws_scheduler_schedule", "patchline-patch-notices")).toMatchObject({
      schedule_expression: "rate(15 minutes)",
      target: { arn: "arn:aws:lambda:us-east-1:100000000001:function:patchline-patch-notices" },
    });
    const fn = named("aws_lambda_function", "patchline-patch-notices", "function_name");
    expect(fn.reserved_concurrent_executions).toBe(1);
    expect((fn.environment as Block).variables).toMatchObject({ NOTICES_TABLE: "patchline-patch-notices", SENDER_ADDRESS: "patchline@example.com" });
    expect(functionStatements("patch-notices").MailOwnersFromTheSender!.resources).toEqual([
      "arn:aws:ses:us-east-1:100000000001:identity/patchline@example.com",
      "arn:aws:ses:us-east-1:100000000001:identity/example.com",
    ]);
  });
});

describe("failure notifications", () => {
  it("follow failed windows and patch commands on the central bus and failed runs on the default bus", () => {
    const rules = Object.fromEntries(bodiesOf(json, "aws_cloudwatch_event_rule").map((r) => [r.name, r]));
    expect(rules["patchline-notify-maintenance-window-failed"]).toMatchObject({ event_bus_name: "patchline-central" });
    expect(JSON.parse(String(rules["patchline-notify-patch-command-failed"]!.event_pattern))).toMatchObject({ detail: { status: ["Failed", "TimedOut"] } });
    expect(rules["patchline-notify-compliance-run-failed"]!.event_bus_name).toBeUndefined();
    expect(JSON.parse(String(rules["patchline-notify-compliance-run-failed"]!.event_pattern))).toEqual({
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: { status: ["FAILED", "TIMED_OUT", "ABORTED"], stateMachineArn: ["arn:aws:states:us-east-1:100000000001:stateMachine:patchline-compliance"] },
    });
  });

  it("invoke the function only from their own rules, and dead-letter what cannot be delivered", () => {
    expect(
      bodiesOf(json, "aws_lambda_permission")
        .map((p) => p.source_arn)
        .sort(),
    ).toEqual([
      // the install runbooks' freeze skips and failed backups (docs/safety-nets.md)
      "arn:aws:events:us-east-1:100000000001:rule/patchline-central/patchline-notify-install-stopped",
      "arn:aws:events:us-east-1:100000000001:rule/patchline-central/patchline-notify-maintenance-window-failed",
      "arn:aws:events:us-east-1:100000000001:rule/patchline-central/patchline-notify-patch-command-failed",
      "arn:aws:events:us-east-1:100000000001:rule/patchline-notify-compliance-run-failed",
    ]);
    for (const target of bodiesOf(json, "aws_cloudwatch_event_target")) expect(target).toMatchObject({ dead_letter_config: { arn: dlqReference } });
    expect(bodiesOf(json, "aws_lambda_function_event_invoke_config")[0]).toMatchObject({ destination_config: { on_failure: { destination: dlqReference } } });
  });

  it("raise an alarm on the platform team's topic as soon as anything waits in the dead-letter queue", () => {
    expect(named("aws_cloudwatch_metric_alarm", "patchline-compliance-dlq-not-empty", "alarm_name")).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "patchline-compliance-dlq" },
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      alarm_actions: [alarmTopic.arn],
    });
  });

  it("are the only senders the dead-letter queue's policy admits", () => {
    const [statement] = statementsOf(json, "aws_sqs_queue_policy", "policy");
    expect(statement).toMatchObject({
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      conditions: [expect.objectContaining({ variable: "aws:SourceArn" })],
    });
    expect(statement!.conditions[0]!.values).toHaveLength(4);
  });
});

it("builds six functions, each from its own artifact", () => {
  const functions = resourcesOf(json, "aws_lambda_function").map(([, b]) => b);
  expect(functions.map((b) => b.function_name).sort()).toEqual([
    "patchline-compliance-collector",
    "patchline-compliance-digest",
    "patchline-compliance-report",
    "patchline-compliance-targets",
    "patchline-patch-failures",
    "patchline-patch-notices",
  ]);
  expect(new Set(functions.map((b) => b.source_code_hash)).size).toBe(6);
});
