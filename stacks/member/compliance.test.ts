import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { environmentNamed, exampleConfig, exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf, type Block, type TerraformJson } from "../../test/support/terraform-json.js";
import { MemberAccountStack } from "../member-account-stack.js";
import { coverageGuardPolicies } from "./coverage-policies.js";
import { PATCH_GROUP_TAG_KEYS } from "../../contracts/tags.js";
import { ComplianceDataSync, ComplianceReaderRole, CoverageRules } from "./compliance.js";

const account = "400000000002";

describe("ComplianceReaderRole", () => {
  const json = synthConstruct(
    (stack, provider) =>
      new ComplianceReaderRole(stack, "Reader", {
        accountId: account,
        regions: ["us-east-1", "eu-west-1"],
        organizationId: "o-exampleorg1",
        naming: exampleNaming,
        provider,
      }),
  );

  it("trusts the roles of the collector, the notices and the failure notifications, inside the organization", () => {
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust).toMatchObject({
      principals: [
        {
          type: "AWS",
          identifiers: [
            "arn:aws:iam::100000000001:role/patchline-compliance-collector",
            "arn:aws:iam::100000000001:role/patchline-patch-notices",
            "arn:aws:iam::100000000001:role/patchline-patch-failures",
          ],
        },
      ],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
    });
    expect(bodiesOf(json, "aws_iam_role")[0]).toMatchObject({ name: "patchline-compliance-reader" });
  });

  it("reads and nothing else: exactly the calls the central functions make", () => {
    const statements = statementsOf(json, "aws_iam_role_policy", "policy");
    expect(statements.flatMap((s) => s.actions).sort()).toEqual([
      "config:GetComplianceDetailsByConfigRule",
      "ec2:DescribeInstances",
      "ec2:DescribeTags",
      "ssm:DescribeAvailablePatches",
      "ssm:DescribeInstanceInformation",
      "ssm:DescribeInstancePatchStates",
      "ssm:DescribeInstancePatches",
      "ssm:DescribeMaintenanceWindowExecutionTaskInvocations",
      "ssm:DescribeMaintenanceWindowExecutionTasks",
      "ssm:DescribeMaintenanceWindowExecutions",
      "ssm:DescribeMaintenanceWindows",
      "ssm:GetAutomationExecution",
      "ssm:GetMaintenanceWindow",
      "ssm:ListCommands",
      "ssm:ListComplianceSummaries",
      "ssm:ListResourceComplianceSummaries",
    ]);
    expect(statements.every((s) => s.effect === "Allow" && s.actions.every((a) => /^[a-z0-9]+:(Describe|List|Get)/.test(a)))).toBe(true);
  });

  it("scopes what can be scoped to the account's regions", () => {
    const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy"));
    expect(statements.CollectorReadsPatchStates!.resources).toEqual([
      `arn:aws:ec2:us-east-1:${account}:instance/*`,
      `arn:aws:ssm:us-east-1:${account}:managed-instance/*`,
      `arn:aws:ec2:eu-west-1:${account}:instance/*`,
      `arn:aws:ssm:eu-west-1:${account}:managed-instance/*`,
    ]);
    expect(statements.ReadWindowsAndExecutions!.resources).toEqual([
      `arn:aws:ssm:us-east-1:${account}:maintenancewindow/*`,
      `arn:aws:ssm:eu-west-1:${account}:maintenancewindow/*`,
    ]);
    expect(statements.CollectorReadsCoverageRuleResults!.resources).toEqual([
      `arn:aws:config:us-east-1:${account}:config-rule/*`,
      `arn:aws:config:eu-west-1:${account}:config-rule/*`,
    ]);
  });
});

describe("ComplianceDataSync", () => {
  it("syncs to the central data bucket in the central region, below the sync prefix, as JSON", () => {
    const json = synthConstruct((stack, provider) => new ComplianceDataSync(stack, "Sync", { naming: exampleNaming, centralRegion: "us-east-1", provider }));
    expect(bodiesOf(json, "aws_ssm_resource_data_sync")[0]).toMatchObject({
      name: "patchline-compliance",
      s3_destination: {
        bucket_name: "patchline-patch-data-100000000001-us-east-1",
        region: "us-east-1",
        prefix: "resource-data-sync",
        sync_format: "JsonSerDe",
      },
    });
  });
});

describe("CoverageRules", () => {
  const json = synthConstruct(
    (stack, provider) =>
      new CoverageRules(stack, "Rules", { environment: environmentNamed("prod"), patchGroupTagKey: "Patch Group", naming: exampleNaming, provider }),
  );
  const rule = (name: string) => bodiesOf(json, "aws_config_config_rule").find((r) => r.name === name)!;

  it("checks the tags with Guard policies over EC2 instances, and SSM management with the AWS managed rule", () => {
    expect(
      bodiesOf(json, "aws_config_config_rule")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["patchline-maintenance-window-tag", "patchline-managed-by-ssm", "patchline-patch-group-tag", "patchline-patch-policy-tag"]);
    expect(rule("patchline-patch-group-tag")).toMatchObject({
      scope: { compliance_resource_types: ["AWS::EC2::Instance"] },
      source: { owner: "CUSTOM_POLICY", custom_policy_details: { policy_runtime: "guard-2.x.x" } },
    });
    expect(rule("patchline-managed-by-ssm").source).toMatchObject({ owner: "AWS", source_identifier: "EC2_INSTANCE_MANAGED_BY_SSM" });
  });

  it("allows the environment's patch groups and windows, and the two patch policies", () => {
    const text = (name: string) => String(((rule(name).source as Block).custom_policy_details as Block).policy_text);
    expect(text("patchline-patch-group-tag")).toContain("%patch_group IN ['web-prod', 'app-prod', 'data-prod']");
    expect(text("patchline-patch-policy-tag")).toContain("%patch_policy IN ['patch-on-schedule', 'patch-on-approval']");
    expect(text("patchline-maintenance-window-tag")).toContain("rule window_tag_names_a_window when %window !empty {\n  %window IN ['prod-monthly']");
  });

  it("quotes values Guard would otherwise misread", () => {
    expect(coverageGuardPolicies({ patchGroups: ["it's"], patchGroupTagKey: "Patch Group", windows: ["w"] })["patch-group-tag"]).toContain("IN ['it\\'s']");
  });

  it.each(PATCH_GROUP_TAG_KEYS)("reads the patch group from the organization's tag key (%s)", (patchGroupTagKey) => {
    const policy = coverageGuardPolicies({ patchGroups: ["web-prod"], patchGroupTagKey, windows: ["w"] })["patch-group-tag"];
    expect(policy.split("\n").slice(0, 4)).toEqual([
      `let patch_group = tags[ keys == '${patchGroupTagKey}' ]`,
      "rule patch_group_names_a_group {",
      `  %patch_group !empty <<instance has no ${patchGroupTagKey} tag>>`,
      `  %patch_group IN ['web-prod'] <<${patchGroupTagKey} names no patch group of this environment>>`,
    ]);
  });
});

describe("member stacks", () => {
  const synthMember = (envName: string, accountIndex = 0): TerraformJson => {
    const environment = { ...environmentNamed(envName) };
    const acct = environment.accounts[accountIndex]!;
    const app = Testing.app();
    const stack = new MemberAccountStack(app, exampleNaming.memberStack(envName, acct), {
      org: exampleConfig.org,
      environment,
      account: acct,
      naming: exampleNaming,
      mode: { offline: true },
    });
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  };

  it("sync compliance data in every region and create coverage rules where the environment switches them on", () => {
    const json = synthMember("prod", 1);
    expect(
      bodiesOf(json, "aws_ssm_resource_data_sync")
        .map((s) => s.provider)
        .sort(),
    ).toEqual(["aws.eu-west-1", "aws.us-east-1"]);
    expect(bodiesOf(json, "aws_config_config_rule")).toHaveLength(8);
  });

  it("create no coverage rules where tag compliance is off", () => {
    const environment = { ...environmentNamed("dev"), compliance: { ...environmentNamed("dev").compliance, tagCompliance: false } };
    const app = Testing.app();
    const stack = new MemberAccountStack(app, "dev-payments-dev", {
      org: exampleConfig.org,
      environment,
      account: environment.accounts[0]!,
      naming: exampleNaming,
      mode: { offline: true },
    });
    expect(bodiesOf(JSON.parse(Testing.synth(stack)) as TerraformJson, "aws_config_config_rule")).toEqual([]);
  });
});
