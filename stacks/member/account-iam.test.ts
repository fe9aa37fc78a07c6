import { describe, expect, it } from "vitest";
import { exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { InstanceOutputPolicy } from "./instance-output-policy.js";
import { MaintenanceWindowRole } from "./maintenance-window-role.js";

const account = "400000000002";
const regions = ["us-east-1", "eu-west-1"];

describe("MaintenanceWindowRole", () => {
  const json = synthConstruct((stack, provider) => new MaintenanceWindowRole(stack, "Role", { accountId: account, regions, naming: exampleNaming, provider }));

  it("is named from config so member stacks and the windows agree on it", () => {
    expect(bodiesOf(json, "aws_iam_role")[0]).toMatchObject({ name: "patchline-maintenance-window" });
  });

  it("can be assumed only by Systems Manager acting for this account", () => {
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust).toMatchObject({
      actions: ["sts:AssumeRole"],
      principals: [{ type: "Service", identifiers: ["ssm.amazonaws.com"] }],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:ssm:*:${account}:*`] },
      ],
    });
  });

  it("sends only the patch documents, only to this account's instances, in its regions", () => {
    const send = bySid(statementsOf(json, "aws_iam_role_policy", "policy")).RunPatchDocumentsOnThisAccountsInstances!;
    expect(send.actions).toEqual(["ssm:SendCommand"]);
    expect([...send.resources].sort()).toEqual(
      [
        "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline",
        "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaselineWithHooks",
        `arn:aws:ec2:us-east-1:${account}:instance/*`,
        `arn:aws:ssm:us-east-1:${account}:managed-instance/*`,
        "arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaseline",
        "arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaselineWithHooks",
        `arn:aws:ec2:eu-west-1:${account}:instance/*`,
        `arn:aws:ssm:eu-west-1:${account}:managed-instance/*`,
      ].sort(),
    );
  });

  it("may pass itself only to Systems Manager, and publish only to the patch command topics", () => {
    const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy"));
    expect(statements.HandThisRoleToRunCommandForNotifications).toMatchObject({
      actions: ["iam:PassRole"],
      resources: [`arn:aws:iam::${account}:role/patchline-maintenance-window`],
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ssm.amazonaws.com"] }],
    });
    expect(statements.PublishCommandStatus!.resources).toEqual(regions.map((r) => `arn:aws:sns:${r}:${account}:patchline-patch-commands`));
  });
});

describe("InstanceOutputPolicy", () => {
  const json = synthConstruct(
    (stack, provider) => new InstanceOutputPolicy(stack, "Policy", { environment: "prod", accountId: account, regions, naming: exampleNaming, provider }),
  );

  it("is a managed policy the app teams can attach by name", () => {
    expect(bodiesOf(json, "aws_iam_policy")[0]).toMatchObject({ name: "patchline-instance-patch-output" });
  });

  it("lets instances write only below their own environment and account prefix of the central bucket", () => {
    const statements = bySid(statementsOf(json, "aws_iam_policy", "policy"));
    expect(statements.WriteOutputToThisAccountsPrefix).toMatchObject({
      actions: ["s3:PutObject"],
      resources: [`arn:aws:s3:::patchline-logs-100000000001-us-east-1/run-command/prod/${account}/*`],
    });
  });

  it("scopes log writes to the run-command group of each region", () => {
    const logs = bySid(statementsOf(json, "aws_iam_policy", "policy")).StreamOutputToTheRunCommandLogGroup!;
    expect(logs.resources).toContain(`arn:aws:logs:eu-west-1:${account}:log-group:/patchline/run-command:log-stream:*`);
    expect(logs.resources.every((r) => r.includes("log-group:/patchline/run-command"))).toBe(true);
  });
});
