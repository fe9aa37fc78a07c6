import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { environmentNamed, exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { ApprovalAccessRole, approvalAccessStatements } from "./access-role.js";
import { approvalPatchDocuments } from "./settings.js";

const account = "400000000002";
const regions = ["us-east-1", "eu-west-1"];
const prod = environmentNamed("prod");
const json = synthConstruct(
  (stack, provider) =>
    new ApprovalAccessRole(stack, "Approval", {
      accountId: account,
      regions,
      organizationId: "o-exampleorg1",
      documents: approvalPatchDocuments(prod, prod.approval!, exampleNaming),
      naming: exampleNaming,
      provider,
    }),
);
const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy"));
const instances = regions.map((r) => `arn:aws:ec2:${r}:${account}:instance/*`);

describe("ApprovalAccessRole (member account)", () => {
  it("is named from config and trusts only the two central functions that make member calls, inside the organization", () => {
    expect(bodiesOf(json, "aws_iam_role")[0]).toMatchObject({ name: "patchline-approval-access", max_session_duration: 3600 });
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust).toMatchObject({
      principals: [
        { type: "AWS", identifiers: ["arn:aws:iam::100000000001:role/patchline-approval-instance", "arn:aws:iam::100000000001:role/patchline-approval-patch"] },
      ],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
    });
  });

  it("backs up only instances tagged patch-policy=patch-on-approval, into images tagged with their approval", () => {
    expect(statements.BackUpInstancesTaggedForApproval).toMatchObject({
      actions: ["ec2:CreateImage"],
      resources: instances,
      conditions: [{ test: "StringEquals", variable: "aws:ResourceTag/patch-policy", values: ["patch-on-approval"] }],
    });
    expect(statements.CreateBackupsTaggedWithTheirApproval).toMatchObject({
      resources: ["arn:aws:ec2:us-east-1::image/*", "arn:aws:ec2:us-east-1::snapshot/*", "arn:aws:ec2:eu-west-1::image/*", "arn:aws:ec2:eu-west-1::snapshot/*"],
      conditions: [{ test: "Null", variable: "aws:RequestTag/patchline:approval-id", values: ["false"] }],
    });
    expect(statements.TagBackupsWhenCreated!.conditions).toEqual([{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateImage"] }]);
  });

  it("runs only the patch document of the environment's windows (prod: with hooks), only on instances tagged for approval, with output to the central bucket", () => {
    expect(statements.RunTheWindowsPatchDocumentsWithOutputToTheCentralBucket!.resources).toEqual([
      "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaselineWithHooks",
      "arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaselineWithHooks",
      "arn:aws:s3:::patchline-logs-100000000001-us-east-1",
    ]);
    expect(statements.PatchInstancesTaggedForApproval).toMatchObject({
      actions: ["ssm:SendCommand"],
      resources: instances,
      conditions: [{ test: "StringEquals", variable: "ssm:resourceTag/patch-policy", values: ["patch-on-approval"] }],
    });
  });

  it("allows exactly the documents the environment's windows patch with: no hook document (the instance runs those), a scan-only window's AWS-RunPatchBaseline", () => {
    const documentsOf = (change: Parameters<typeof exampleWith>[0], env: string) => {
      const environment = parseOrgConfig(exampleWith(change)).environments.find((e) => e.name === env)!;
      return approvalPatchDocuments(environment, environment.approval!, exampleNaming);
    };
    expect(documentsOf(() => {}, "prod")).toEqual(["AWS-RunPatchBaselineWithHooks"]);
    expect(documentsOf(() => {}, "dev")).toEqual(["AWS-RunPatchBaseline"]);
    expect(
      documentsOf((d) => {
        d.environments.prod.maintenanceWindows.push({ ...d.environments.prod.maintenanceWindows[0], name: "prod-scan" });
        delete d.environments.prod.maintenanceWindows[1].install;
        d.environments.prod.patchGroups[2].maintenanceWindow = "prod-scan";
      }, "prod"),
    ).toEqual(["AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks"]);
    const sendable = approvalAccessStatements(account, ["us-east-1"], exampleNaming, ["AWS-RunPatchBaseline"]).find(
      (s) => s.sid === "RunTheWindowsPatchDocumentsWithOutputToTheCentralBucket",
    )!.resources;
    expect(sendable).toEqual(["arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline", "arn:aws:s3:::patchline-logs-100000000001-us-east-1"]);
  });

  it("reads the patch state and the missing patches of instances in its regions only", () => {
    expect(statements.ReadPatchState).toMatchObject({ actions: ["ssm:DescribeInstancePatchStates", "ssm:DescribeInstancePatches"], resources: instances });
  });

  it("grants nothing beyond the calls the functions make", () => {
    expect(
      Object.values(statements)
        .flatMap((s) => s.actions)
        .sort(),
    ).toEqual([
      "ec2:CreateImage",
      "ec2:CreateImage",
      "ec2:CreateTags",
      "ec2:DescribeImages",
      "ec2:DescribeInstances",
      "ssm:DescribeInstancePatchStates",
      "ssm:DescribeInstancePatches",
      "ssm:GetCommandInvocation",
      "ssm:SendCommand",
      "ssm:SendCommand",
    ]);
  });
});
