import { beforeAll, describe, expect, it } from "vitest";
import { expandAction, isUnscopable } from "../../test/security/iam-catalog.js";
import { synthOrg } from "../../test/support/synth.js";
import { MANAGED_POLICY_MAX_CHARS, policySize, type PolicyStatement } from "./document.js";
import { planRolePolicy, PlanRolePolicyError, type PlanRolePolicy } from "./policy.js";
import { dataSourceReads, resourceReads } from "./read-calls.js";
import { readSynthesizedStacks, type StackTypes } from "./stacks.js";

/** The data reads issue 14 names: the plan role must be denied each, whatever else is attached. */
const mustDeny = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "kms:Decrypt",
  "sqs:ReceiveMessage",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "athena:GetQueryResults",
  "states:GetExecutionHistory",
];

const statementsOf = (policy: PlanRolePolicy): PolicyStatement[] => policy.documents.flatMap((d) => d.Statement);
const allowed = (policy: PlanRolePolicy) => new Set(statementsOf(policy).flatMap((s) => (s.Effect === "Allow" ? s.Action : [])));

describe("the plan role's policy, generated from every synthesized stack of the example organization", () => {
  let stacks: StackTypes[];
  let policies: PlanRolePolicy[];

  beforeAll(() => {
    const { outdir, config } = synthOrg({ mode: { offline: false, role: "plan" } });
    stacks = readSynthesizedStacks(outdir);
    policies = (["central", "member"] as const).map((kind) => planRolePolicy(kind, stacks, config.org.namePrefix)!);
  });

  it("grants, per kind of account, the read calls of every resource type and data source its stacks render", () => {
    for (const policy of policies) {
      const grants = allowed(policy);
      for (const stack of stacks.filter((s) => s.kind === policy.kind)) {
        const types = [
          ...Object.keys(stack.resources).map((t) => [t, resourceReads[t]] as const),
          ...Object.keys(stack.data).map((t) => [`data.${t}`, dataSourceReads[t]] as const),
        ];
        for (const [type, reads] of types) {
          expect(policy.types, `${stack.stack}: ${type}`).toContain(type);
          const missing = (reads?.reads ?? []).flatMap((g) => g.actions).filter((a) => !grants.has(a));
          expect(missing, `${stack.stack}: ${type}`).toEqual([]);
        }
      }
    }
    // the central stack's own calls stay out of member accounts
    expect(allowed(policies.find((p) => p.kind === "member")!).has("lambda:GetFunction")).toBe(false);
  });

  it("names only IAM actions that exist, never a wildcard action in an Allow, and scopes only actions IAM can scope", async () => {
    const problems: string[] = [];
    for (const policy of policies) {
      for (const statement of statementsOf(policy)) {
        for (const action of statement.Action) {
          if ((await expandAction(action)).length !== 1) problems.push(`${policy.kind}/${statement.Sid}: ${action} is not an IAM action`);
          if (statement.Effect === "Allow" && /[*?]/.test(action)) problems.push(`${policy.kind}/${statement.Sid}: ${action} is a wildcard`);
          if (statement.Effect === "Allow" && statement.Resource !== "*" && (await isUnscopable(action))) {
            problems.push(`${policy.kind}/${statement.Sid}: ${action} cannot be scoped to ${JSON.stringify(statement.Resource)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("denies every data read of the issue, object reads everywhere but on the objects patchline renders", () => {
    for (const policy of policies) {
      const denies = statementsOf(policy).filter((s) => s.Effect === "Deny");
      for (const action of mustDeny)
        expect(
          denies.some((s) => s.Action.includes(action)),
          `${policy.kind}: ${action}`,
        ).toBe(true);
      const objectDeny = denies.find((s) => s.Action.includes("s3:GetObject"))!;
      const exceptions = objectDeny.NotResource ?? [];
      // only exact objects are left readable: no wildcard, never a state key
      for (const arn of exceptions) expect(arn).toMatch(/^arn:aws:s3:::patchline-[a-z0-9-]+\/[^*?]+$/);
      expect(exceptions.some((arn) => arn.endsWith(".tfstate"))).toBe(false);
      if (policy.kind === "member") expect(objectDeny.Resource).toBe("*");
    }
    const central = policies.find((p) => p.kind === "central")!;
    expect(statementsOf(central).find((s) => s.Action.includes("s3:GetObject") && s.Effect === "Deny")!.NotResource).toEqual([
      "arn:aws:s3:::patchline-patch-data-100000000001-us-east-1/reference/accounts/accounts.csv",
      "arn:aws:s3:::patchline-reports-100000000001-us-east-1/catalog/fleet.json",
    ]);
    // metadata of secrets, never their values
    expect(allowed(central).has("secretsmanager:DescribeSecret")).toBe(true);
    expect(allowed(central).has("secretsmanager:GetSecretValue")).toBe(false);
  });

  it("lets the central plan role decrypt only through Step Functions, to read the encrypted state machines' definitions", () => {
    const central = statementsOf(policies.find((p) => p.kind === "central")!);
    const stepFunctions = { "kms:ViaService": ["scheduler.us-east-1.amazonaws.com", "states.us-east-1.amazonaws.com"] };
    expect(central.filter((s) => s.Action.includes("kms:Decrypt"))).toEqual([
      {
        Sid: "DenyDecryptButThroughStepFunctionsAndScheduler",
        Effect: "Deny",
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: { StringNotEquals: stepFunctions },
      },
      { Sid: "DecryptDefinitionsThroughTheirServices", Effect: "Allow", Action: ["kms:Decrypt"], Resource: "*", Condition: { StringEquals: stepFunctions } },
    ]);
    // execution data, which Step Functions would decrypt too, stays denied without condition
    const dataDeny = central.find((s) => s.Sid === "DenyDataReads")!;
    expect(dataDeny.Action).toEqual(expect.arrayContaining(["states:DescribeExecution", "states:GetExecutionHistory"]));
    expect(dataDeny.Condition).toBeUndefined();
    // member accounts have no encrypted state machine: no decryption at all
    const member = statementsOf(policies.find((p) => p.kind === "member")!);
    expect(member.filter((s) => s.Action.includes("kms:Decrypt"))).toEqual([{ Sid: "DenyDecrypt", Effect: "Deny", Action: ["kms:Decrypt"], Resource: "*" }]);
  });

  it("fits each document into IAM's managed-policy limit", () => {
    for (const policy of policies) {
      expect(policy.documents).toHaveLength(1);
      for (const document of policy.documents) expect(policySize(document)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    }
  });

  it("fails naming a resource type without read calls, and a resource named outside its scope", () => {
    const central = stacks.find((s) => s.kind === "central")!;
    const function_ = Object.keys(central.resources.aws_lambda_function!)[0]!;
    const changed: StackTypes = {
      ...central,
      resources: {
        ...central.resources,
        aws_ssm_parameter: { Secret: { name: "/x", type: "SecureString" } },
        aws_lambda_function: {
          ...central.resources.aws_lambda_function,
          [function_]: { ...central.resources.aws_lambda_function![function_], function_name: "other-team-function" },
        },
      },
      data: { ...central.data, aws_caller_identity: { Current: {} } },
    };
    let error: unknown;
    try {
      planRolePolicy("central", [changed], "patchline");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlanRolePolicyError);
    expect((error as PlanRolePolicyError).problems).toEqual([
      `central: aws_lambda_function.${function_}: function_name "other-team-function" is outside the plan role's scope "patchline-*": name it from org.namePrefix (stacks/naming.ts) or widen the scope in tools/plan-role-policy/read-calls.ts`,
      "central: resource type aws_ssm_parameter has no read calls in tools/plan-role-policy/read-calls.ts: add the IAM actions hashicorp/aws calls in its Read function",
      "central: data source aws_caller_identity has no read calls in tools/plan-role-policy/read-calls.ts: add the IAM actions hashicorp/aws calls in its Read function",
    ]);
  });
});
