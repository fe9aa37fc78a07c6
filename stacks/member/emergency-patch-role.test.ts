import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { environmentNamed, exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { EmergencyPatchRole, emergencyPatchScope, emergencyPatchStatements } from "./emergency-patch-role.js";

const account = "400000000002";
const regions = ["us-east-1", "eu-west-1"];
const scope = emergencyPatchScope(environmentNamed("prod"), exampleNaming)!;
const json = synthConstruct(
  (stack, provider) =>
    new EmergencyPatchRole(stack, "Emergency", {
      accountId: account,
      regions,
      organizationId: "o-exampleorg1",
      scope,
      patchGroupTagKey: "Patch Group",
      naming: exampleNaming,
      provider,
    }),
);
const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy"));

describe("EmergencyPatchRole (member account)", () => {
  it("is named from config and trusts only the emergency run's commands function, inside the organization", () => {
    expect(bodiesOf(json, "aws_iam_role")[0]).toMatchObject({ name: "patchline-emergency-patch", max_session_duration: 3600 });
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust).toMatchObject({
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::100000000001:role/patchline-emergency-commands"] }],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
    });
  });

  it("sends the windows' install documents (and AWS-RunPatchBaseline for named patches), output to the central bucket only", () => {
    expect(scope.documents).toEqual(["AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks"]);
    expect(statements.RunTheWindowsPatchDocumentsWithOutputToTheCentralBucket!.resources).toEqual([
      "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline",
      "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaselineWithHooks",
      "arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaseline",
      "arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaselineWithHooks",
      "arn:aws:s3:::patchline-logs-100000000001-us-east-1",
    ]);
  });

  it("patches only the instances and hybrid nodes the windows' install targets select: tagged patch-on-schedule, in one of the environment's patch groups", () => {
    expect(statements.PatchInstancesTheWindowsInstallTargetsSelect).toMatchObject({
      actions: ["ssm:SendCommand"],
      resources: regions.flatMap((r) => [`arn:aws:ec2:${r}:${account}:instance/*`, `arn:aws:ssm:${r}:${account}:managed-instance/*`]),
      conditions: [
        { test: "StringEquals", variable: "ssm:resourceTag/patch-policy", values: ["patch-on-schedule"] },
        { test: "StringEquals", variable: "ssm:resourceTag/Patch Group", values: ["web-prod", "app-prod", "data-prod"] },
      ],
    });
  });

  it("grants exactly the calls of the commands function", () => {
    expect(
      Object.values(statements)
        .flatMap((s) => s.actions)
        .sort(),
    ).toEqual(["ssm:ListCommandInvocations", "ssm:ListCommands", "ssm:SendCommand", "ssm:SendCommand"]);
    expect(statements.FollowTheRunsCommands!.resources).toEqual(["*"]);
  });

  it("follows org.patchGroupTagKey, and leaves out the groups of a window that only scans (no role where no window installs)", () => {
    const withScanOnly = parseOrgConfig(
      exampleWith((d) => {
        d.environments.prod.maintenanceWindows.push({ ...d.environments.prod.maintenanceWindows[0], name: "prod-scan" });
        delete d.environments.prod.maintenanceWindows[1].install;
        d.environments.prod.patchGroups[2].maintenanceWindow = "prod-scan";
      }),
    );
    const prod = withScanOnly.environments.find((e) => e.name === "prod")!;
    const partial = emergencyPatchScope(prod, exampleNaming)!;
    expect(partial.patchGroups).toEqual(["web-prod", "app-prod"]);
    const condition = emergencyPatchStatements(account, ["us-east-1"], exampleNaming, partial, "PatchGroup")[2]!.conditions![1];
    expect(condition).toEqual({ test: "StringEquals", variable: "ssm:resourceTag/PatchGroup", values: ["web-prod", "app-prod"] });

    const scanning = parseOrgConfig(exampleWith((d) => delete d.environments.dev.maintenanceWindows[0].install));
    expect(emergencyPatchScope(scanning.environments.find((e) => e.name === "dev")!, exampleNaming)).toBeUndefined();
  });
});
