import { fileURLToPath } from "node:url";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfig } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { functionNames } from "../../contracts/functions.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig, exampleNaming } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { policyDocuments } from "../../test/security/policies.js";
import { parseReference, resourcesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { CentralStack } from "../central-stack.js";

// any existing file stands in for a built zip: the constructs only copy and hash what they are given
const artifacts: FunctionArtifacts = Object.fromEntries(
  functionNames.map((name) => [name, { name, zipPath: fileURLToPath(import.meta.url), sha256Base64: `hash-of-${name}`, sha256Hex: "00", bytes: 1 }]),
);

function synth(config: OrgConfig = exampleConfig): TerraformJson {
  const stack = new CentralStack(Testing.app(), "central", { config, naming: exampleNaming, mode: { offline: true }, artifacts });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

const account = "100000000001";
const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
const root = [{ type: "AWS", identifiers: [`arn:aws:iam::${account}:root`] }];
const cryptographic = /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateMac|VerifyMac|Sign|Verify|\*)/;

const centralKey = (json: TerraformJson) => resourcesOf(json, "aws_kms_key").find(([, body]) => body.description === "patchline: central data at rest")!;
const keyPolicy = (json: TerraformJson) => statementsOf(json, "aws_kms_key", "policy", (b) => b.description === "patchline: central data at rest");

/** The ARNs of the stack's roles whose inline policies allow a KMS action on the central key, read from the JSON alone. */
function rolesUsingTheKey(json: TerraformJson): string[] {
  const keyArn = `\${aws_kms_key.${centralKey(json)[0]}.arn}`;
  const roles = new Map(resourcesOf(json, "aws_iam_role").map(([name, body]) => [name, String(body.name)]));
  const docs = new Map(policyDocuments(json).map((d) => [d.name, d.statements]));
  const found = resourcesOf(json, "aws_iam_role_policy").filter(([, body]) => {
    const statements = docs.get(parseReference(body.policy)?.name ?? "") ?? [];
    return statements.some((s) => s.effect === "Allow" && s.resources.includes(keyArn) && s.actions.some((a) => a.startsWith("kms:")));
  });
  return found.map(([, body]) => role(roles.get(parseReference(body.role)!.name)!)).sort();
}

const json = synth();
const statements = bySid(keyPolicy(json));

describe("the central key's policy in the central stack", () => {
  it("names exactly the roles of the stack whose own policies use the key", () => {
    const named = statements.PatchlineRolesUseTheKeyAsTheirPoliciesAsk!.conditions[0]!;
    expect(named.variable).toBe("aws:PrincipalArn");
    expect(named.values).toEqual(rolesUsingTheKey(json));
    const roleNames = resourcesOf(json, "aws_iam_role").map(([, body]) => role(String(body.name)));
    for (const arn of named.values) expect(roleNames).toContain(arn);
  });

  it("among them the state machines, the schedules and the functions that keep or read data; not the patch function nor the trigger", () => {
    const named = statements.PatchlineRolesUseTheKeyAsTheirPoliciesAsk!.conditions[0]!.values;
    expect(named).toEqual(
      expect.arrayContaining([
        role("patchline-approval-state-machine"),
        role("patchline-compliance-state-machine"),
        role("patchline-approval-request"),
        role("patchline-approval-callback"),
        role("patchline-approval-instance"),
      ]),
    );
    expect(named.some((arn) => arn.endsWith("-schedule"))).toBe(true);
    expect(named).not.toContain(role("patchline-approval-patch"));
    expect(named).not.toContain(role("patchline-approval-trigger"));
  });

  it("allows those roles only the actions their policies ask for, and only as the account narrowed to them", () => {
    expect(statements.PatchlineRolesUseTheKeyAsTheirPoliciesAsk).toMatchObject({
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      principals: root,
    });
  });

  it("gives no account principal a cryptographic action without an aws:PrincipalArn condition", () => {
    const fromTheAccount = keyPolicy(json).filter((s) => s.principals.some((p) => p.type === "AWS"));
    expect(fromTheAccount.length).toBeGreaterThan(0);
    for (const s of fromTheAccount.filter((s) => s.actions.some((a) => cryptographic.test(a)))) {
      expect(s.conditions.map((c) => c.variable)).toContain("aws:PrincipalArn");
    }
    expect(statements.KeyAdministratorsAdministerOnly!.actions.filter((a) => cryptographic.test(a) || a === "kms:CreateGrant")).toEqual([]);
  });

  it("lets the deploy role use the key only through the services that hold the data, and create grants only for AWS resources", () => {
    const deploy = { test: "ArnEquals", variable: "aws:PrincipalArn", values: [role("patchline-deploy")] };
    const via = {
      test: "StringEquals",
      variable: "kms:ViaService",
      values: ["dynamodb", "s3", "scheduler", "secretsmanager", "sns", "sqs", "states"].map((s) => `${s}.us-east-1.amazonaws.com`),
    };
    expect(statements.DeployRoleUsesTheKeyThroughServices).toMatchObject({ principals: root, conditions: [deploy, via] });
    expect(statements.DeployRoleLetsServicesCreateGrants).toMatchObject({
      actions: ["kms:CreateGrant"],
      conditions: [deploy, via, { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    });
  });

  it("admits people's roles (org.keyUserRoleArns) through the data's services only, and nobody by default", () => {
    expect(statements.PeopleReadThroughServices).toBeUndefined();
    const people = "arn:aws:iam::100000000001:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformTeam_0123456789abcdef";
    const withPeople = bySid(keyPolicy(synth(parseOrgConfig(exampleWith((d) => (d.org.keyUserRoleArns = [people]))))));
    expect(withPeople.PeopleReadThroughServices).toMatchObject({
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
      principals: root,
      conditions: [
        { test: "ArnEquals", variable: "aws:PrincipalArn", values: [people] },
        {
          test: "StringEquals",
          variable: "kms:ViaService",
          values: ["dynamodb", "s3", "secretsmanager", "sqs", "states"].map((s) => `${s}.us-east-1.amazonaws.com`),
        },
      ],
    });
  });

  it("lets the plan role decrypt only through Step Functions (state machine definitions), and only when org.planRoleName is set", () => {
    expect(statements.PlanRoleReadsDefinitionsThroughStepFunctionsAndScheduler).toMatchObject({
      effect: "Allow",
      actions: ["kms:Decrypt"],
      notActions: [],
      resources: ["*"],
      principals: root,
      conditions: [
        { test: "ArnEquals", variable: "aws:PrincipalArn", values: [role("patchline-plan")] },
        { test: "StringEquals", variable: "kms:ViaService", values: ["scheduler.us-east-1.amazonaws.com", "states.us-east-1.amazonaws.com"] },
      ],
    });
    // no other cryptographic action for the plan role
    const forPlanRole = keyPolicy(json).filter((s) => s.conditions.some((c) => c.variable === "aws:PrincipalArn" && c.values.includes(role("patchline-plan"))));
    expect(forPlanRole.flatMap((s) => s.actions).filter((a) => cryptographic.test(a))).toEqual(["kms:Decrypt"]);
    const withoutPlanRole = bySid(keyPolicy(synth(parseOrgConfig(exampleWith((d) => delete d.org.planRoleName)))));
    expect(withoutPlanRole.PlanRoleReadsDefinitionsThroughStepFunctionsAndScheduler).toBeUndefined();
  });

  it("admits QuickSight's service role for query results through S3 only, and only with org.compliance.quicksight", () => {
    const quickSight = role("service-role/aws-quicksight-service-role-v0");
    expect(statements.QuickSightUsesQueryResultsThroughS3).toMatchObject({
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: ["*"],
      principals: root,
      conditions: [
        { test: "ArnEquals", variable: "aws:PrincipalArn", values: [quickSight] },
        { test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] },
      ],
    });
    // QuickSight's role is not one of patchline's: nothing else in the policy names it
    const naming = keyPolicy(json).filter((s) => s.conditions.some((c) => c.values.includes(quickSight)));
    expect(naming.map((s) => s.sid)).toEqual(["QuickSightUsesQueryResultsThroughS3"]);
    const without = bySid(keyPolicy(synth(parseOrgConfig(exampleWith((d) => delete d.org.compliance.quicksight)))));
    expect(without.QuickSightUsesQueryResultsThroughS3).toBeUndefined();
  });

  it("keeps the AWS services' statements bound to this account", () => {
    expect(statements.ServicesEncryptForThisAccount!.conditions).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }]);
    expect(statements.CloudWatchLogsEncryptsThisAccountsGroups!.conditions).toEqual([
      { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:aws:logs:us-east-1:${account}:log-group:*`] },
    ]);
  });

  it("makes the key depend on no role: principals are derived ARNs, not references", () => {
    expect(JSON.stringify(keyPolicy(json))).not.toContain("aws_iam_role.");
    expect(centralKey(json)[1].depends_on).toBeUndefined();
  });
});
