import { describe, expect, it } from "vitest";
import { synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import type { StateMachineDefinition } from "./asl.js";
import { CentralAccessRole, assumeMemberRoleStatement } from "../member/central-access-role.js";
import { StateMachine } from "./state-machine.js";

const definition: StateMachineDefinition = { StartAt: "Done", States: { Done: { Type: "Succeed" } } };
const key = { arn: "arn:aws:kms:us-east-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab" };

function synth(def: StateMachineDefinition = definition) {
  return synthConstruct((stack, provider) => {
    new StateMachine(stack, "Workflow", {
      stateMachineName: "patchline-example",
      description: "example workflow",
      definition: def,
      accountId: "100000000001",
      region: "us-east-1",
      statements: [{ sid: "PublishOutcome", actions: ["sns:Publish"], resources: ["arn:aws:sns:us-east-1:100000000001:patchline-notifications"] }],
      key,
      logRetentionDays: 365,
      provider,
    });
  });
}

describe("StateMachine", () => {
  it("renders the definition as stable JSON with logging without execution data, tracing and the key", () => {
    const [machine] = bodiesOf(synth(), "aws_sfn_state_machine");
    expect(JSON.parse(String(machine!.definition))).toEqual(definition);
    expect(machine).toMatchObject({
      name: "patchline-example",
      type: "STANDARD",
      logging_configuration: { level: "ALL", include_execution_data: false },
      tracing_configuration: { enabled: true },
      encryption_configuration: { type: "CUSTOMER_MANAGED_KMS_KEY", kms_key_id: key.arn },
    });
  });

  it("refuses an invalid definition at synth", () => {
    const broken = { StartAt: "Missing", States: { Done: { Type: "Succeed" } } } as StateMachineDefinition;
    expect(() => synth(broken)).toThrow(/^state machine patchline-example: /);
  });

  it("can be assumed only by Step Functions acting for this state machine", () => {
    const [trust] = statementsOf(synth(), "aws_iam_role", "assume_role_policy");
    expect(trust!.conditions).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["100000000001"] },
      { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:states:us-east-1:100000000001:stateMachine:patchline-example"] },
    ]);
  });

  it("uses the key only for its own executions, and adds the workflow's statements", () => {
    const statements = bySid(statementsOf(synth(), "aws_iam_role_policy", "policy"));
    expect(statements.EncryptOwnExecutionData).toMatchObject({
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [key.arn],
      conditions: [
        {
          test: "StringEquals",
          variable: "kms:EncryptionContext:aws:states:stateMachineArn",
          values: ["arn:aws:states:us-east-1:100000000001:stateMachine:patchline-example"],
        },
      ],
    });
    expect(statements.PublishOutcome!.actions).toEqual(["sns:Publish"]);
  });

  it("logs to an encrypted vended-logs group with retention", () => {
    expect(bodiesOf(synth(), "aws_cloudwatch_log_group")[0]).toMatchObject({
      name: "/aws/vendedlogs/states/patchline-example",
      retention_in_days: 365,
      kms_key_id: key.arn,
    });
  });
});

describe("CentralAccessRole", () => {
  const json = synthConstruct((stack, provider) => {
    new CentralAccessRole(stack, "Access", {
      roleName: "patchline-approval-access",
      description: "lets the approval workflow patch instances",
      trustedRoleArns: ["arn:aws:iam::100000000001:role/patchline-approval-state-machine"],
      organizationId: "o-exampleorg1",
      statements: [{ sid: "DescribeInstances", actions: ["ec2:DescribeInstances"], resources: ["*"] }],
      provider,
    });
  });

  it("trusts the named central roles of the organization, not the central account", () => {
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust).toMatchObject({
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::100000000001:role/patchline-approval-state-machine"] }],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
    });
  });

  it("grants the workflow's calls", () => {
    expect(bySid(statementsOf(json, "aws_iam_role_policy", "policy")).DescribeInstances!.actions).toEqual(["ec2:DescribeInstances"]);
  });

  it("is assumed from the central account by role name, inside the organization only", () => {
    expect(assumeMemberRoleStatement("AssumeApprovalAccess", "patchline-approval-access", "o-exampleorg1")).toEqual({
      sid: "AssumeApprovalAccess",
      actions: ["sts:AssumeRole"],
      resources: ["arn:aws:iam::*:role/patchline-approval-access"],
      conditions: [{ test: "StringEquals", variable: "aws:ResourceOrgID", values: ["o-exampleorg1"] }],
    });
  });
});
