import { describe, expect, it } from "vitest";
import type { TerraformJson } from "../support/terraform-json.js";
import { iamActionsExist } from "./rules/iam-actions-exist.js";
import { iamNoWildcardAction } from "./rules/iam-no-wildcard-action.js";
import { iamPoliciesFromDocuments } from "./rules/iam-policies-from-documents.js";
import { iamResourceStarOnlyUnscopable } from "./rules/iam-resource-star-only-unscopable.js";
import { iamTrustScoped } from "./rules/iam-trust-scoped.js";
import { resourcePoliciesNotPublic } from "./rules/resource-policies-not-public.js";
import { findings, withBucketPolicy, withRolePolicy } from "./rule-fixtures.js";

describe("IAM1 policies come from aws_iam_policy_document", () => {
  it("accepts a reference to a policy document", async () => {
    expect(await findings(iamPoliciesFromDocuments, withRolePolicy([]))).toEqual([]);
  });
  it("flags an inline JSON policy", async () => {
    const json: TerraformJson = { resource: { aws_iam_role_policy: { p: { policy: '{"Version":"2012-10-17","Statement":[]}' } } } };
    expect(await findings(iamPoliciesFromDocuments, json)).toEqual(["policy is an inline string, not a reference to an aws_iam_policy_document"]);
  });
});

describe("IAM2 no Action *", () => {
  it("accepts named actions", async () => {
    expect(await findings(iamNoWildcardAction, withRolePolicy([{ sid: "A", effect: "Allow", actions: ["ssm:SendCommand"], resources: ["*"] }]))).toEqual([]);
  });
  it('flags Action "*"', async () => {
    expect(await findings(iamNoWildcardAction, withRolePolicy([{ sid: "Admin", effect: "Allow", actions: ["*"], resources: ["*"] }]))).toEqual([
      'doc statement Admin allows Action "*"',
    ]);
  });
  it("flags every action of a service, as kms:* in a key policy", async () => {
    const json: TerraformJson = {
      data: { aws_iam_policy_document: { doc: { statement: [{ sid: "Root", effect: "Allow", actions: ["kms:*"], resources: ["*"] }] } } },
      resource: { aws_kms_key: { k: { policy: "${data.aws_iam_policy_document.doc.json}" } } },
    };
    expect(await findings(iamNoWildcardAction, json)).toEqual(["doc statement Root allows every action of a service (kms:*)"]);
  });
  it("flags NotAction", async () => {
    expect(await findings(iamNoWildcardAction, withRolePolicy([{ sid: "N", effect: "Allow", not_actions: ["iam:*"], resources: ["*"] }]))).toEqual([
      "doc statement N allows NotAction",
    ]);
  });
});

describe("IAM3 actions exist in the IAM catalog", () => {
  it("accepts real actions and wildcards that match some", async () => {
    expect(
      await findings(iamActionsExist, withRolePolicy([{ sid: "A", effect: "Allow", actions: ["ssm:SendCommand", "kms:GenerateDataKey*"], resources: ["*"] }])),
    ).toEqual([]);
  });
  it("flags a misspelled action and a wildcard that matches nothing", async () => {
    const json = withRolePolicy([{ sid: "A", effect: "Allow", actions: ["ssm:SendCommands", "ec2:Nothing*"], resources: ["*"] }]);
    expect(await findings(iamActionsExist, json)).toEqual([
      'doc statement A: "ssm:SendCommands" is not an IAM action',
      'doc statement A: "ec2:Nothing*" is not an IAM action',
    ]);
  });
});

describe('IAM4 Resource "*" only for unscopable actions', () => {
  it('accepts "*" for actions without resource types', async () => {
    expect(
      await findings(
        iamResourceStarOnlyUnscopable,
        withRolePolicy([{ sid: "A", effect: "Allow", actions: ["ssm:ListCommands", "ec2:DescribeInstances"], resources: ["*"] }]),
      ),
    ).toEqual([]);
  });
  it('flags "*" for an action that can be scoped', async () => {
    expect(
      await findings(iamResourceStarOnlyUnscopable, withRolePolicy([{ sid: "A", effect: "Allow", actions: ["ssm:SendCommand"], resources: ["*"] }])),
    ).toEqual(['doc statement A: ssm:SendCommand supports resource-level permissions but is granted on "*"']);
  });
  it("does not apply to key policies, where * means the key itself", async () => {
    const json: TerraformJson = {
      data: { aws_iam_policy_document: { doc: { statement: [{ sid: "Root", effect: "Allow", actions: ["kms:Decrypt"], resources: ["*"] }] } } },
      resource: { aws_kms_key: { k: { policy: "${data.aws_iam_policy_document.doc.json}" } } },
    };
    expect(await findings(iamResourceStarOnlyUnscopable, json)).toEqual([]);
  });
});

describe("IAM5 trust policies are scoped", () => {
  it("accepts a service principal bound to the account", async () => {
    const json = withRolePolicy(
      [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["ssm.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
        },
      ],
      "assume_role_policy",
    );
    expect(await findings(iamTrustScoped, json)).toEqual([]);
  });
  it("flags a service principal without a source condition", async () => {
    const json = withRolePolicy(
      [{ sid: "T", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }],
      "assume_role_policy",
    );
    expect(await findings(iamTrustScoped, json)).toEqual([
      "doc statement T trusts lambda.amazonaws.com without an aws:SourceAccount / aws:SourceArn condition",
    ]);
  });
  it("accepts AWS Backup without a source condition (it is passed the role; AWS does not document the keys for it), not with another service", async () => {
    const trust = (identifiers: string[]) =>
      withRolePolicy([{ sid: "T", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers }] }], "assume_role_policy");
    expect(await findings(iamTrustScoped, trust(["backup.amazonaws.com"]))).toEqual([]);
    expect(await findings(iamTrustScoped, trust(["backup.amazonaws.com", "ssm.amazonaws.com"]))).toEqual([
      "doc statement T trusts backup.amazonaws.com, ssm.amazonaws.com without an aws:SourceAccount / aws:SourceArn condition",
    ]);
  });
  it("flags an account root principal", async () => {
    const json = withRolePolicy(
      [{ sid: "T", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }] }],
      "assume_role_policy",
    );
    expect(await findings(iamTrustScoped, json)).toEqual(["doc statement T trusts a whole account (arn:aws:iam::123456789012:root); name the role"]);
  });
});

describe("RES1 resource policies are not public", () => {
  it("accepts * with an organization condition", async () => {
    const json = withBucketPolicy([
      {
        sid: "Org",
        effect: "Allow",
        actions: ["s3:PutObject"],
        resources: ["arn:aws:s3:::b/*"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-abc"] }],
      },
    ]);
    expect(await findings(resourcePoliciesNotPublic, json)).toEqual([]);
  });
  it("flags * without a condition", async () => {
    const json = withBucketPolicy([
      { sid: "Open", effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"], principals: [{ type: "*", identifiers: ["*"] }] },
    ]);
    expect(await findings(resourcePoliciesNotPublic, json)).toEqual(["doc statement Open allows any principal without an organization or source condition"]);
  });
});
