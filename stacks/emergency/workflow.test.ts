import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { emergencyFunctionNames } from "../../contracts/functions.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { exampleConfig, exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import type { StateMachineDefinition } from "../core/asl.js";
import { EMERGENCY_MAX_CONCURRENT_TARGETS, PATCH_WAVE_STATE } from "./definition.js";
import { emergencyChannels, EmergencyPatchRun } from "./workflow.js";

const keyArn = "arn:aws:kms:us-east-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab";
// any existing file stands in for a built zip: the constructs only copy and hash what they are given
const artifacts: FunctionArtifacts = Object.fromEntries(
  Object.values(emergencyFunctionNames).map((name) => [
    name,
    { name, zipPath: fileURLToPath(import.meta.url), sha256Base64: `hash-of-${name}`, sha256Hex: "00", bytes: 1 },
  ]),
);
const json = synthConstruct(
  (stack, provider) =>
    new EmergencyPatchRun(stack, "Emergency", {
      config: exampleConfig,
      naming: exampleNaming,
      artifacts,
      key: { arn: keyArn },
      notifications: { arn: "arn:aws:sns:us-east-1:100000000001:patchline-notifications" },
      provider,
    }),
);
const policyOf = (id: string) => bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => String(b.role).includes(id)));
const fn = (name: string) => bodiesOf(json, "aws_lambda_function").find((f) => f.function_name === `patchline-${name}`)!;
const bucket = "arn:aws:s3:::patchline-emergency-100000000001-us-east-1";

describe("EmergencyPatchRun (central)", () => {
  it("deploys the state machine patchline-emergency-patch with its three functions", () => {
    expect(bodiesOf(json, "aws_sfn_state_machine").map((m) => m.name)).toEqual(["patchline-emergency-patch"]);
    expect(
      bodiesOf(json, "aws_lambda_function")
        .map((f) => f.function_name)
        .sort(),
    ).toEqual(["patchline-emergency-commands", "patchline-emergency-notify", "patchline-emergency-run"]);
    const definition = JSON.parse(String(bodiesOf(json, "aws_sfn_state_machine")[0]!.definition)) as StateMachineDefinition;
    expect(definition.States[PATCH_WAVE_STATE]).toMatchObject({
      MaxConcurrency: EMERGENCY_MAX_CONCURRENT_TARGETS,
      ItemReader: { Parameters: { Bucket: "patchline-emergency-100000000001-us-east-1" } },
    });
  });

  it("keeps the runs' files in a bucket of its own whose install lists, and nothing else, instances of the organization read", () => {
    expect(bodiesOf(json, "aws_s3_bucket").map((b) => b.bucket)).toEqual(["patchline-emergency-100000000001-us-east-1"]);
    const encryption = bodiesOf(json, "aws_s3_bucket_server_side_encryption_configuration")[0]!;
    expect(JSON.stringify(encryption)).toContain("AES256");
    expect(bySid(statementsOf(json, "aws_s3_bucket_policy", "policy")).OrganizationInstancesReadInstallOverrideLists).toMatchObject({
      actions: ["s3:GetObject"],
      resources: [`${bucket}/install-lists/*`],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
    });
    const [lifecycle] = bodiesOf(json, "aws_s3_bucket_lifecycle_configuration");
    expect(JSON.stringify(lifecycle)).toContain('"days":365');
  });

  it("lets the run function read the catalog and write only the runs' files and install lists", () => {
    const policy = policyOf("RunFunction");
    expect(policy.WriteWavesAndInstallLists).toMatchObject({ actions: ["s3:PutObject"], resources: [`${bucket}/runs/*`, `${bucket}/install-lists/*`] });
    expect(policy.ReadWaveResults).toMatchObject({ actions: ["s3:GetObject"], resources: [`${bucket}/runs/*`] });
    expect(policy.ReadFleetCatalog!.resources).toEqual(["arn:aws:s3:::patchline-reports-100000000001-us-east-1/catalog/fleet.json"]);
    expect(fn("emergency-run").environment).toMatchObject({
      variables: { EMERGENCY_BUCKET: "patchline-emergency-100000000001-us-east-1", EMERGENCY_BUCKET_REGION: "us-east-1", CATALOG_KEY: "catalog/fleet.json" },
    });
  });

  it("lets the commands function assume only the member emergency patch role, and write output where the windows do", () => {
    const policy = policyOf("CommandsFunction");
    expect(Object.keys(policy).sort()).toEqual(["AssumeMemberEmergencyPatchRole", "WriteOwnLogs", "WriteTraces"]);
    expect(policy.AssumeMemberEmergencyPatchRole).toMatchObject({
      actions: ["sts:AssumeRole"],
      resources: ["arn:aws:iam::*:role/patchline-emergency-patch"],
      conditions: [{ test: "StringEquals", variable: "aws:ResourceOrgID", values: ["o-exampleorg1"] }],
    });
    expect(fn("emergency-commands").environment).toMatchObject({
      variables: {
        MEMBER_ROLE_NAME: "patchline-emergency-patch",
        OUTPUT_BUCKET: "patchline-logs-100000000001-us-east-1",
        OUTPUT_KEY_PREFIX_TEMPLATE: "run-command/{environment}/{account}/{region}",
        RUN_COMMAND_LOG_GROUP: "/patchline/run-command",
      },
    });
  });

  it("lets the notify function send through the failure channels and the environments' notice channels only", () => {
    expect(emergencyChannels(exampleConfig)).toEqual(["platform-teams", "patching-mail", "app-teams-slack"]);
    const policy = policyOf("NotifyFunction");
    expect(policy.ReadWebhookUrls!.resources).toEqual([
      "arn:aws:secretsmanager:us-east-1:100000000001:secret:patchline/chat/platform-teams-??????",
      "arn:aws:secretsmanager:us-east-1:100000000001:secret:patchline/chat/app-teams-slack-??????",
    ]);
    expect(policy.PublishToEmailChannels!.resources).toEqual(["arn:aws:sns:us-east-1:100000000001:patchline-channel-patching-mail"]);
    // security-slack is a digest channel only
    expect(JSON.stringify(policy)).not.toContain("security-slack");
  });

  it("lets the state machine invoke its functions, run its waves' children, read their files and write their results", () => {
    const policy = policyOf("StateMachine");
    expect(policy.InvokeRunFunctions!.resources).toEqual(
      ["emergency-run", "emergency-commands", "emergency-notify"].flatMap((name) => [
        `arn:aws:lambda:us-east-1:100000000001:function:patchline-${name}`,
        `arn:aws:lambda:us-east-1:100000000001:function:patchline-${name}:*`,
      ]),
    );
    expect(policy.StartChildExecutions!.resources).toEqual(["arn:aws:states:us-east-1:100000000001:stateMachine:patchline-emergency-patch"]);
    expect(policy.FollowChildExecutions!.resources).toEqual(["arn:aws:states:us-east-1:100000000001:execution:patchline-emergency-patch/*"]);
    expect(policy.ReadWaveFiles!.resources).toEqual([`${bucket}/runs/*`]);
    expect(policy.WriteChildResults!.resources).toEqual([`${bucket}/runs/map-results/*`]);
  });

  it("raises an alarm on the platform team's topic when a run halts or fails", () => {
    expect(bodiesOf(json, "aws_cloudwatch_metric_alarm")).toEqual([
      expect.objectContaining({
        alarm_name: "patchline-emergency-patch-runs-failed",
        alarm_actions: ["arn:aws:sns:us-east-1:100000000001:patchline-notifications"],
      }),
    ]);
  });
});
