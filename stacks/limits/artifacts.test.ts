import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { functionNames } from "../../contracts/functions.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { exampleWith } from "../../test/support/config.js";
import { policyDocuments, type IamStatement } from "../../test/security/policies.js";
import { bodiesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { CentralStack } from "../central-stack.js";
import { approverSubscriptions } from "../approval/data.js";
import { logBucketStatements } from "../central/log-bucket.js";
import { channelDestinations } from "../compliance/channels.js";
import { channelStatements } from "../compliance/statements.js";
import type { PolicyStatement } from "../core/iam-policy.js";
import { secureBucketPolicyStatements } from "../core/secure-bucket.js";
import { MemberAccountStack } from "../member-account-stack.js";
import { Naming } from "../naming.js";
import { emergencyChannels } from "../emergency/workflow.js";
import { CHANNEL_ROLE_FIXED_CHARACTERS } from "./central.js";
import { regionPolicies } from "./member.js";
import { iamPolicyCharacters, renderPolicy } from "./policy-json.js";

// The limits measure documents built by the constructs' own builders: these tests hold the two together.

const artifacts: FunctionArtifacts = Object.fromEntries(
  functionNames.map((name) => [name, { name, zipPath: new URL(import.meta.url).pathname, sha256Base64: `hash-of-${name}`, sha256Hex: "00", bytes: 1 }]),
);
// both kinds of channel, an account with its own regions, approval in every kind of environment
const config = parseOrgConfig(
  exampleWith((d) => {
    d.org.channels["ops-mail"] = { type: "email", subscribers: ["ops@example.com"] };
    d.environments.prod.accounts[2].regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
    d.environments.preprod.approval.enabled = false;
  }),
);
const naming = new Naming(config.org);
const central = JSON.parse(Testing.synth(new CentralStack(Testing.app(), "central", { config, naming, mode: { offline: true }, artifacts }))) as TerraformJson;

const asPolicy = (s: IamStatement): PolicyStatement => ({
  sid: s.sid ?? "",
  effect: s.effect,
  actions: s.actions,
  resources: s.resources.length > 0 ? s.resources : undefined,
  principals: s.principals.length > 0 ? (s.principals as PolicyStatement["principals"]) : undefined,
  conditions: s.conditions.length > 0 ? s.conditions : undefined,
});
function documentStatements(json: TerraformJson, prefix: string): PolicyStatement[] {
  const found = policyDocuments(json).filter((d) => d.name.startsWith(prefix));
  expect(found.map((d) => d.name)).toHaveLength(1);
  return found[0]!.statements.map(asPolicy);
}

describe("the limits measure the documents the stacks render", () => {
  it("the log bucket policy", () => {
    expect(renderPolicy(documentStatements(central, "LogBucket_PolicyDocument"))).toEqual(
      renderPolicy(secureBucketPolicyStatements(naming.logBucket, logBucketStatements(config.org.organizationId, ["dev", "preprod", "prod"]))),
    );
  });

  it("the approvers' filter policies", () => {
    const rendered = bodiesOf(central, "aws_sns_topic_subscription").flatMap((s) => (s.filter_policy === undefined ? [] : [s.filter_policy]));
    const approving = config.environments.filter((e) => e.approval?.enabled).map((e) => ({ environment: e.name, emails: e.approval!.approverEmails }));
    expect(rendered).toEqual(approverSubscriptions(approving).map((s) => s.filterPolicy));
  });

  it("the channel roles: all but their channel statements is CHANNEL_ROLE_FIXED_CHARACTERS at most", () => {
    const { accountId, region } = config.org.central;
    const logGroups = new Map(Object.entries(central.resource?.aws_cloudwatch_log_group ?? {}).map(([id, body]) => [id, String(body.name)]));
    // the references Terraform resolves at plan time, at their resolved length (a key id is a 36-character UUID)
    const resolve = (value: string) =>
      value
        .replace(/\$\{aws_cloudwatch_log_group\.([^.]+)\.arn\}/g, (_, id: string) => `arn:aws:logs:${region}:${accountId}:log-group:${logGroups.get(id)}`)
        .replace(/\$\{aws_kms_key\.[^.]+\.arn\}/g, `arn:aws:kms:${region}:${accountId}:key/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`);
    const channels = channelStatements(channelDestinations(config.org.channels, naming));
    const fixed = [
      "Compliance_Notices_patch-notices_Permissions",
      "Compliance_Failures_patch-failures_Permissions",
      "Compliance_Run_Functions_compliance-digest_Permissions",
    ].map((prefix) => {
      const statements = documentStatements(central, prefix).map((s) => ({ ...s, resources: s.resources?.map(resolve) }));
      expect(JSON.stringify(statements)).not.toMatch(/\$\{aws_/);
      expect(renderPolicy(statements.filter((s) => channels.some((c) => c.sid === s.sid)))).toEqual(renderPolicy(channels));
      return iamPolicyCharacters(statements) - iamPolicyCharacters(channels);
    });
    expect(Math.max(...fixed)).toBe(CHANNEL_ROLE_FIXED_CHARACTERS);
    // an emergency run's messages go to some channels only: its role stays below the others' with all of them
    const emergency = documentStatements(central, "Emergency_NotifyFunction_Permissions").map((s) => ({ ...s, resources: s.resources?.map(resolve) }));
    const its = channelStatements(channelDestinations(Object.fromEntries(emergencyChannels(config).map((n) => [n, config.org.channels[n]!])), naming));
    expect(renderPolicy(emergency.filter((s) => its.some((c) => c.sid === s.sid)))).toEqual(renderPolicy(its));
    expect(iamPolicyCharacters(emergency) - iamPolicyCharacters(its)).toBeLessThanOrEqual(CHANNEL_ROLE_FIXED_CHARACTERS);
  });

  it("a member account's policies that name its regions", () => {
    const prod = config.environments.find((e) => e.name === "prod")!;
    const account = prod.accounts[2]!;
    const member = JSON.parse(
      Testing.synth(new MemberAccountStack(Testing.app(), "prod-data-prod", { org: config.org, environment: prod, account, naming, mode: { offline: true } })),
    ) as TerraformJson;
    const prefixes = [
      "Account_MaintenanceWindowRole_Permissions",
      "Account_PatchAutomation_Permissions",
      "Account_Restore_Automation_Permissions",
      "Account_ComplianceReaderRole_Access_Permissions",
      "Account_ApprovalAccessRole_Permissions",
      "Account_EmergencyPatchRole_Permissions",
      "Account_InstanceOutputPolicy_Document",
    ];
    const policies = regionPolicies(naming, config.org);
    expect(policies.map((p) => p.id)).toEqual(prefixes);
    for (const policy of policies) {
      expect(renderPolicy(documentStatements(member, policy.id))).toEqual(renderPolicy(policy.statements(prod, account.id, account.regions!)!));
    }
  });
});
