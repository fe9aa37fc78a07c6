import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { resourcesOf, type TerraformJson } from "../../test/support/terraform-json.js";
import { synthApprovalWorkflow } from "../../test/support/approval-workflow-synth.js";

const synth = (config: OrgConfig = exampleConfig): TerraformJson => synthApprovalWorkflow(config);

const linkKeyPolicy = (json: TerraformJson) => statementsOf(json, "aws_kms_key", "policy", (b) => b.key_usage === "GENERATE_VERIFY_MAC");
const root = [{ type: "AWS", identifiers: ["arn:aws:iam::100000000001:root"] }];
const role = (name: string) => `arn:aws:iam::100000000001:role/${name}`;
const json = synth();
const statements = bySid(linkKeyPolicy(json));

describe("the approval link key's policy", () => {
  it("has exactly these statements: administration, the plan role's reads, signing, verifying", () => {
    expect(Object.keys(statements)).toEqual([
      "KeyAdministratorsAdministerOnly",
      "PlanRoleReadsKeyMetadata",
      "RequestFunctionSignsLinks",
      "CallbackFunctionVerifiesLinks",
    ]);
  });

  it("lets only the request function's role GenerateMac, with HMAC_SHA_256", () => {
    expect(statements.RequestFunctionSignsLinks).toMatchObject({
      effect: "Allow",
      actions: ["kms:GenerateMac"],
      principals: root,
      conditions: [
        { test: "ArnEquals", variable: "aws:PrincipalArn", values: [role("patchline-approval-request")] },
        { test: "StringEquals", variable: "kms:MacAlgorithm", values: ["HMAC_SHA_256"] },
      ],
    });
  });

  it("lets only the callback function's role VerifyMac, with HMAC_SHA_256", () => {
    expect(statements.CallbackFunctionVerifiesLinks).toMatchObject({
      actions: ["kms:VerifyMac"],
      principals: root,
      conditions: [
        { test: "ArnEquals", variable: "aws:PrincipalArn", values: [role("patchline-approval-callback")] },
        { test: "StringEquals", variable: "kms:MacAlgorithm", values: ["HMAC_SHA_256"] },
      ],
    });
  });

  it("names roles that exist in the stack: the functions' own roles", () => {
    const roleNames = resourcesOf(json, "aws_iam_role").map(([, body]) => body.name);
    for (const s of [statements.RequestFunctionSignsLinks!, statements.CallbackFunctionVerifiesLinks!]) {
      const [arn] = s.conditions[0]!.values;
      expect(roleNames).toContain(arn!.split(":role/")[1]);
    }
  });

  it("grants GenerateMac and VerifyMac in no other statement, and no wildcard that would match them", () => {
    const others = linkKeyPolicy(json).filter((s) => !["RequestFunctionSignsLinks", "CallbackFunctionVerifiesLinks"].includes(s.sid ?? ""));
    for (const s of others) {
      expect(s.actions.filter((a) => /mac|\*/i.test(a))).toEqual([]);
    }
  });

  it("gives the account's administrators administration only: no cryptographic action, not even through a grant", () => {
    const admin = statements.KeyAdministratorsAdministerOnly!;
    expect(admin.principals).toEqual(root);
    expect(admin.conditions).toEqual([{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [role("patchline-deploy")] }]);
    expect(admin.actions).toEqual(expect.arrayContaining(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DescribeKey", "kms:TagResource"]));
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateMac", "kms:VerifyMac", "kms:CreateGrant", "kms:*"])
      expect(admin.actions).not.toContain(action);
  });

  it("lets the plan role read what a plan refreshes, nothing more", () => {
    expect(statements.PlanRoleReadsKeyMetadata).toMatchObject({
      actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
      conditions: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [role("patchline-plan")] }],
    });
  });

  it("adds org.keyAdministratorRoleArns to the deploy role as administrators, and drops the plan role's reads without a plan role", () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        d.org.keyAdministratorRoleArns = ["arn:aws:iam::100000000001:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAdmin_0123456789abcdef"];
        delete d.org.planRoleName;
      }),
    );
    const policy = bySid(linkKeyPolicy(synth(config)));
    expect(policy.KeyAdministratorsAdministerOnly!.conditions[0]!.values).toEqual([
      role("patchline-deploy"),
      "arn:aws:iam::100000000001:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAdmin_0123456789abcdef",
    ]);
    expect(policy.PlanRoleReadsKeyMetadata).toBeUndefined();
  });

  it("asks for HMAC_SHA_256 in the functions' own policies too", () => {
    const policies = resourcesOf(json, "aws_iam_role_policy").map(([, body]) => body);
    expect(policies.length).toBeGreaterThan(0);
    const sign = bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => String(b.role).includes("RequestFunction"))).SignLinks!;
    const verify = bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => String(b.role).includes("CallbackFunction"))).VerifyLinkSignatures!;
    for (const s of [sign, verify]) expect(s.conditions).toEqual([{ test: "StringEquals", variable: "kms:MacAlgorithm", values: ["HMAC_SHA_256"] }]);
  });
});
