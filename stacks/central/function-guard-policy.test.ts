import { fileURLToPath } from "node:url";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { FunctionArtifacts } from "../../functions/build.js";
import { functionNames } from "../../contracts/functions.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleConfig, exampleNaming } from "../../test/support/construct-synth.js";
import { exampleWith } from "../../test/support/config.js";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { expandAction } from "../../test/security/iam-catalog.js";
import { bodiesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { functionGuardPolicyCommand } from "../../tools/function-guard-policy.js";
import { CentralStack } from "../central-stack.js";
import { Naming } from "../naming.js";
import { functionGuardPolicy } from "./function-guard-policy.js";

const artifacts: FunctionArtifacts = Object.fromEntries(
  functionNames.map((name) => [name, { name, zipPath: fileURLToPath(import.meta.url), sha256Base64: `hash-of-${name}`, sha256Hex: "00", bytes: 1 }]),
);
const central = JSON.parse(
  Testing.synth(new CentralStack(Testing.app(), "central", { config: exampleConfig, naming: exampleNaming, mode: { offline: true }, artifacts })),
) as TerraformJson;

const policy = functionGuardPolicy(exampleConfig.org, exampleNaming);
const [guard, invoke, roles, machines, emergencyInvoke] = policy.Statement;
/** IAM's ARN matching: `*` any run of characters, `?` one. */
const arnMatches = (pattern: string, arn: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(arn);

describe("the function guard SCP", () => {
  it("denies only real IAM actions, each naming one action (no wildcard)", async () => {
    for (const statement of policy.Statement) {
      for (const action of statement.Action) {
        expect(action).not.toMatch(/\*/);
        expect(await expandAction(action), action).toEqual([action]);
      }
    }
  });

  it("denies changing the code and the configuration, publishing, aliasing and opening the function to others", () => {
    expect(guard!.Action).toEqual(
      expect.arrayContaining([
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:PublishVersion",
        "lambda:UpdateAlias",
        "lambda:AddPermission",
        "lambda:DeleteFunction",
      ]),
    );
  });

  it("covers every function of the synthesized central stack, and its versions and aliases, in the central account only", () => {
    const names = bodiesOf(central, "aws_lambda_function").map((f) => String(f.function_name));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      for (const qualifier of ["", ":7", ":live"]) {
        expect(
          guard!.Resource.some((p) => arnMatches(p, `arn:aws:lambda:us-east-1:100000000001:function:${name}${qualifier}`)),
          name,
        ).toBe(true);
      }
      expect(guard!.Resource.some((p) => arnMatches(p, `arn:aws:lambda:us-east-1:999999999999:function:${name}`))).toBe(false);
    }
    expect(guard!.Resource.some((p) => arnMatches(p, "arn:aws:lambda:us-east-1:100000000001:function:someone-elses"))).toBe(false);
  });

  it("exempts exactly the central account's deploy role", () => {
    expect(guard!.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::100000000001:role/patchline-deploy"] } });
  });

  it("lets only the approval state machine's role, a role of the stack, invoke the patch function", () => {
    const patch = "arn:aws:lambda:us-east-1:100000000001:function:patchline-approval-patch";
    expect(invoke!.Resource.some((p) => arnMatches(p, patch)) && invoke!.Resource.some((p) => arnMatches(p, `${patch}:1`))).toBe(true);
    expect(invoke!.Resource.some((p) => arnMatches(p, "arn:aws:lambda:us-east-1:100000000001:function:patchline-approval-request"))).toBe(false);
    const [exempt] = invoke!.Condition.ArnNotLike!["aws:PrincipalArn"]!;
    expect(exempt).toBe("arn:aws:iam::100000000001:role/patchline-approval-state-machine");
    const machine = bodiesOf(central, "aws_sfn_state_machine").find((m) => m.name === "patchline-approval");
    expect(machine).toBeDefined();
    expect(bodiesOf(central, "aws_iam_role").map((r) => `arn:aws:iam::100000000001:role/${r.name}`)).toContain(exempt);
  });

  it("denies both ways of invoking the patch function", () => {
    expect(invoke!.Action).toEqual(expect.arrayContaining(["lambda:InvokeFunction", "lambda:InvokeAsync"]));
  });

  it("lets only the emergency state machine's role invoke the emergency run's commands function, both ways", () => {
    const commands = "arn:aws:lambda:us-east-1:100000000001:function:patchline-emergency-commands";
    expect(emergencyInvoke!.Sid).toBe("OnlyTheEmergencyRunInvokesItsCommandsFunction");
    expect(emergencyInvoke!.Resource.some((p) => arnMatches(p, commands)) && emergencyInvoke!.Resource.some((p) => arnMatches(p, `${commands}:1`))).toBe(true);
    expect(emergencyInvoke!.Resource.some((p) => arnMatches(p, "arn:aws:lambda:us-east-1:100000000001:function:patchline-emergency-notify"))).toBe(false);
    expect(emergencyInvoke!.Action).toEqual(["lambda:InvokeAsync", "lambda:InvokeFunction"]);
    const [exempt] = emergencyInvoke!.Condition.ArnNotLike!["aws:PrincipalArn"]!;
    expect(exempt).toBe("arn:aws:iam::100000000001:role/patchline-emergency-patch-state-machine");
    expect(bodiesOf(central, "aws_sfn_state_machine").map((m) => m.name)).toContain("patchline-emergency-patch");
    expect(bodiesOf(central, "aws_iam_role").map((r) => `arn:aws:iam::100000000001:role/${r.name}`)).toContain(exempt);
  });

  it("lets only the deploy role pass or change every role of the synthesized central stack, and no role outside the prefix", () => {
    expect(roles!.Action).toEqual(
      expect.arrayContaining(["iam:PassRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole"]),
    );
    expect(roles!.Condition).toEqual(guard!.Condition);
    const names = bodiesOf(central, "aws_iam_role").map((r) => String(r.name));
    expect(names).toEqual(expect.arrayContaining(["patchline-approval-patch", "patchline-approval-state-machine"]));
    for (const name of [...names, "patchline-deploy"]) {
      expect(
        roles!.Resource.some((p) => arnMatches(p, `arn:aws:iam::100000000001:role/${name}`)),
        name,
      ).toBe(true);
      expect(
        roles!.Resource.some((p) => arnMatches(p, `arn:aws:iam::999999999999:role/${name}`)),
        name,
      ).toBe(false);
    }
    for (const outside of ["someone-elses", "patchlinex-deploy", "OrganizationAccountAccessRole"]) {
      expect(
        roles!.Resource.some((p) => arnMatches(p, `arn:aws:iam::100000000001:role/${outside}`)),
        outside,
      ).toBe(false);
    }
  });

  it("protects the deploy role too when its name is outside the prefix (whoever becomes it is exempt)", () => {
    const config = parseOrgConfig(exampleWith((d) => (d.org.deployRoleName = "ci-deploy")));
    const [, , otherRoles] = functionGuardPolicy(config.org, new Naming(config.org)).Statement;
    expect(otherRoles!.Resource).toEqual(["arn:aws:iam::100000000001:role/patchline-*", "arn:aws:iam::100000000001:role/ci-deploy"]);
    expect(otherRoles!.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::100000000001:role/ci-deploy"] } });
  });

  it("lets only the deploy role change the definitions of the synthesized state machines, their versions and aliases", () => {
    expect(machines!.Action).toEqual(expect.arrayContaining(["states:UpdateStateMachine", "states:UpdateStateMachineAlias"]));
    expect(machines!.Condition).toEqual(guard!.Condition);
    const names = bodiesOf(central, "aws_sfn_state_machine").map((m) => String(m.name));
    expect(names).toContain("patchline-approval");
    for (const name of names) {
      for (const qualifier of ["", ":3", ":live"]) {
        const arn = `arn:aws:states:us-east-1:100000000001:stateMachine:${name}${qualifier}`;
        expect(
          machines!.Resource.some((p) => arnMatches(p, arn)),
          arn,
        ).toBe(true);
      }
    }
    expect(machines!.Resource.some((p) => arnMatches(p, "arn:aws:states:us-east-1:100000000001:stateMachine:someone-elses"))).toBe(false);
  });

  // as printed: the Organizations API counts the whitespace of what it is given
  it("fits the 5,120 characters AWS Organizations allows an SCP, even with the longest prefix and a deploy role outside it", () => {
    expect(JSON.stringify(policy, null, 2).length).toBeLessThanOrEqual(5120);
    const config = parseOrgConfig(
      exampleWith((d) => {
        d.org.namePrefix = "a".repeat(20);
        d.org.deployRoleName = "d".repeat(64);
      }),
    );
    expect(JSON.stringify(functionGuardPolicy(config.org, new Naming(config.org)), null, 2).length).toBeLessThanOrEqual(5120);
  });
});

describe("npm run function-guard-policy", () => {
  const run = (input = exampleOrganization) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = functionGuardPolicyCommand([], { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date(0) }, input);
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("prints the policy for the organization", () => {
    const { code, out } = run();
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(policy);
  });

  it("refuses a bad configuration, naming the problem", () => {
    const { code, err } = run(exampleWith((d) => (d.org.deployRoleName = "patchline deploy")));
    expect(code).toBe(2);
    expect(err).toContain('org.deployRoleName: "patchline deploy" is not an IAM role name');
  });
});
