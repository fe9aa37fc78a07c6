import { beforeAll, describe, expect, it } from "vitest";
import { functionNames } from "../contracts/functions.js";
import type { IamStatement } from "./security/policies.js";
import { statementsOf } from "./support/policies.js";
import { sdkCallsOf, type SdkCalls } from "./support/sdk-calls.js";
import { synthOrg } from "./support/synth.js";
import { resourcesOf, type TerraformJson } from "./support/terraform-json.js";

/**
 * Least privilege, checked against the code: every AWS call a function's code makes (read from the
 * sources its bundle is built from) is granted to its role, or to the member role it assumes, and
 * nothing else is. Permissions AWS uses on the caller's behalf are not calls of the code; they are
 * the statements named here, each for its reason.
 */
const onTheCallersBehalf = new Set([
  "WriteOwnLogs", // the Lambda runtime writes the function's logs
  "WriteTraces", // the X-Ray daemon of the runtime sends segments
  "DeadLetterFailedInvocations", // Lambda puts failed asynchronous invocations on the queue
  "TagBackupsWhenCreated", // CreateImage's TagSpecifications need ec2:CreateTags
]);
/**
 * Adapters that several functions share, each using some of their methods: the approvals table
 * (request, callback, outcome) and the link signer (request signs, callback verifies). Which of
 * their calls each function may make is pinned per function in stacks/approval/workflow.test.ts.
 */
const sharedAdapters = ["functions/approval/shared/store.ts", "functions/approval/shared/link.ts"];

const usedByAws = (s: IamStatement) => (s.sid !== undefined && onTheCallersBehalf.has(s.sid)) || s.conditions.some((c) => c.variable === "kms:ViaService");

const actionsOf = (statements: readonly IamStatement[]) =>
  [...new Set(statements.filter((s) => s.effect === "Allow" && !usedByAws(s)).flatMap((s) => s.actions))].sort();

/** The statements of a role's inline policy, found by the role's name. */
function rolePolicy(json: TerraformJson, roleName: string): IamStatement[] {
  const role = resourcesOf(json, "aws_iam_role").find(([, body]) => body.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  return statementsOf(json, "aws_iam_role_policy", "policy", (body) => body.role === `\${aws_iam_role.${role[0]}.name}`);
}

/** Names of the central roles a member role trusts. */
function trustedRoleNames(json: TerraformJson, roleName: string): string[] {
  const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy", (body) => body.name === roleName);
  return trust!.principals.flatMap((p) => p.identifiers).map((arn) => arn.replace(/^arn:aws:iam::\d{12}:role\//, ""));
}

describe("function permissions match the calls their code makes", () => {
  let central: TerraformJson;
  let member: TerraformJson;
  let prefix: string;
  const calls = new Map<string, SdkCalls>();
  const memberRoles = ["patchline-approval-access", "patchline-compliance-reader", "patchline-emergency-patch"];

  beforeAll(async () => {
    const { stacks, config } = synthOrg({ mode: { offline: true } });
    central = stacks.get("central")!.json;
    member = stacks.get("prod-web-prod")!.json;
    prefix = config.org.namePrefix;
    for (const name of functionNames) calls.set(`${prefix}-${name}`, await sdkCallsOf(name));
  }, 120_000);

  it("reads calls from every function the central stack deploys", () => {
    const deployed = resourcesOf(central, "aws_lambda_function")
      .map(([, body]) => String(body.function_name))
      .sort();
    expect(deployed).toEqual([...calls.keys()].sort());
    expect(calls.get(`${prefix}-compliance-collector`)!.all).toEqual([
      "config:GetComplianceDetailsByConfigRule",
      "ec2:DescribeTags",
      "s3:GetObject",
      "s3:PutObject",
      "ssm:DescribeAvailablePatches",
      "ssm:DescribeInstanceInformation",
      "ssm:DescribeInstancePatchStates",
      "ssm:DescribeInstancePatches",
      "ssm:DescribeMaintenanceWindowExecutionTaskInvocations",
      "ssm:DescribeMaintenanceWindowExecutionTasks",
      "ssm:DescribeMaintenanceWindowExecutions",
      "ssm:DescribeMaintenanceWindows",
      "ssm:ListComplianceSummaries",
      "ssm:ListResourceComplianceSummaries",
      "sts:AssumeRole",
    ]);
  });

  it("grants no central function a call its code does not make", () => {
    const unused = [...calls].flatMap(([fn, made]) =>
      actionsOf(rolePolicy(central, fn))
        .filter((a) => !made.all.includes(a))
        .map((a) => `${fn}: ${a}`),
    );
    expect(unused).toEqual([]);
  });

  it("grants every call of a function, to its own role or to the member role it assumes (shared adapters aside)", () => {
    const trusting = (fn: string) => memberRoles.filter((role) => trustedRoleNames(member, role).includes(fn));
    const missing = [...calls].flatMap(([fn, made]) => {
      const granted = new Set([...actionsOf(rolePolicy(central, fn)), ...trusting(fn).flatMap((role) => actionsOf(rolePolicy(member, role)))]);
      return made
        .outside(sharedAdapters)
        .filter((a) => !granted.has(a))
        .map((a) => `${fn}: ${a}`);
    });
    expect(missing).toEqual([]);
  });

  it("grants a member role only calls that the functions it trusts make", () => {
    const unused = memberRoles.flatMap((role) => {
      const made = new Set(trustedRoleNames(member, role).flatMap((fn) => calls.get(fn)?.all ?? []));
      return actionsOf(rolePolicy(member, role))
        .filter((a) => !made.has(a))
        .map((a) => `${role}: ${a}`);
    });
    expect(unused).toEqual([]);
    expect(trustedRoleNames(member, "patchline-approval-access").sort()).toEqual(["patchline-approval-instance", "patchline-approval-patch"]);
    expect(trustedRoleNames(member, "patchline-emergency-patch")).toEqual(["patchline-emergency-commands"]);
  });
});
