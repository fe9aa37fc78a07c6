import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { exampleWith } from "../test/support/config.js";
import { exampleConfig, exampleNaming } from "../test/support/construct-synth.js";
import { bodiesOf, type TerraformJson } from "../test/support/terraform-json.js";
import { CentralStack } from "./central-stack.js";

function synth(config = exampleConfig): TerraformJson {
  const stack = new CentralStack(Testing.app(), "central", { config, naming: exampleNaming, mode: { offline: true }, artifacts: loadFunctionArtifacts() });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

describe("CentralStack", () => {
  it("deploys the approval workflow when an environment uses it, and outputs the approval pages' URL", () => {
    const json = synth();
    expect(bodiesOf(json, "aws_sfn_state_machine").map((m) => m.name)).toEqual(["patchline-approval", "patchline-compliance", "patchline-emergency-patch"]);
    expect(json.output?.ApprovalApiUrl).toMatchObject({ value: expect.stringMatching(/^\$\{aws_apigatewayv2_api\..+\.api_endpoint\}$/) });
  });

  it("deploys none of it when no environment does", () => {
    const json = synth(parseOrgConfig(exampleWith((d) => Object.values(d.environments).forEach((e) => delete e.approval))));
    // emergency runs are always there: nothing of them is configured
    expect(bodiesOf(json, "aws_sfn_state_machine").map((m) => m.name)).toEqual(["patchline-compliance", "patchline-emergency-patch"]);
    expect(bodiesOf(json, "aws_lambda_function").map((f) => f.function_name)).not.toContainEqual(expect.stringMatching(/approval/));
    expect(bodiesOf(json, "aws_dynamodb_table").map((t) => t.name)).not.toContain("patchline-approvals");
    expect(json.output).toBeUndefined();
  });
});
