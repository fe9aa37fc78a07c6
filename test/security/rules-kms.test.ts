import { describe, expect, it } from "vitest";
import type { Block, TerraformJson } from "../support/terraform-json.js";
import { kmsKeyUsageScoped } from "./rules/kms-key-usage-scoped.js";
import { findings } from "./rule-fixtures.js";

const withKeyPolicy = (statements: Block[]): TerraformJson => ({
  data: { aws_iam_policy_document: { doc: { statement: statements } } },
  resource: { aws_kms_key: { k: { policy: "${data.aws_iam_policy_document.doc.json}" } } },
});
const root = [{ type: "AWS", identifiers: ["arn:aws:iam::100000000001:root"] }];
const onlyRole = { test: "ArnEquals", variable: "aws:PrincipalArn", values: ["arn:aws:iam::100000000001:role/patchline-approval-request"] };

describe("KMS1 key usage is scoped to named roles", () => {
  it("accepts cryptographic use by the account narrowed to a role, and administration by the account", async () => {
    const json = withKeyPolicy([
      { sid: "Sign", effect: "Allow", actions: ["kms:GenerateMac"], resources: ["*"], principals: root, condition: [onlyRole] },
      { sid: "Admin", effect: "Allow", actions: ["kms:PutKeyPolicy", "kms:DescribeKey"], resources: ["*"], principals: root },
      {
        sid: "Logs",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: ["logs.us-east-1.amazonaws.com"] }],
      },
    ]);
    expect(await findings(kmsKeyUsageScoped, json)).toEqual([]);
  });

  it("flags kms:* and GenerateDataKey* for the account root without a named principal, and a negated condition", async () => {
    const json = withKeyPolicy([
      { sid: "Everything", effect: "Allow", actions: ["kms:*"], resources: ["*"], principals: root },
      {
        sid: "NotThem",
        effect: "Allow",
        actions: ["kms:GenerateDataKey*"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: ["100000000001"] }],
        condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: ["arn:aws:iam::100000000001:role/x"] }],
      },
    ]);
    expect(await findings(kmsKeyUsageScoped, json)).toEqual([
      "doc statement Everything grants kms:Decrypt, kms:DeriveSharedSecret, kms:Encrypt, kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext, kms:GenerateMac, kms:ReEncryptFrom, kms:ReEncryptTo, kms:Sign, kms:Verify, kms:VerifyMac to arn:aws:iam::100000000001:root without an aws:PrincipalArn condition naming who",
      "doc statement NotThem grants kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext to 100000000001 without an aws:PrincipalArn condition naming who",
    ]);
  });

  it("flags an aws:PrincipalArn that names roles by a wildcard, with any narrowing operator", async () => {
    const json = withKeyPolicy([
      {
        sid: "AnyRole",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: ["*"],
        principals: root,
        condition: [{ test: "ArnLike", variable: "aws:PrincipalArn", values: ["arn:aws:iam::100000000001:role/*"] }],
      },
      {
        sid: "SomeRoles",
        effect: "Allow",
        actions: ["kms:GenerateMac"],
        resources: ["*"],
        principals: root,
        condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [onlyRole.values[0]!, "arn:aws:iam::100000000001:role/patchline-approval-?"] }],
      },
    ]);
    expect(await findings(kmsKeyUsageScoped, json)).toEqual([
      'doc statement AnyRole grants kms:Decrypt to arn:aws:iam::100000000001:root for aws:PrincipalArn "arn:aws:iam::100000000001:role/*": a wildcard matches roles nobody named; list each role\'s ARN',
      'doc statement SomeRoles grants kms:GenerateMac to arn:aws:iam::100000000001:root for aws:PrincipalArn "arn:aws:iam::100000000001:role/patchline-approval-?": a wildcard matches roles nobody named; list each role\'s ARN',
    ]);
  });
});
