import { describe, expect, it } from "vitest";
import { goJson, iamPolicyCharacters, policyBytes, renderPolicy } from "./policy-json.js";

// Checked against hashicorp/aws 5.100.0: for the compliance-data and log bucket policies, the approval
// access, maintenance window and compliance reader roles, the instance output policy and the channel
// statements, `minified_json` of aws_iam_policy_document had exactly these byte and character counts.
describe("policy documents as aws_iam_policy_document renders them", () => {
  it('writes single values as strings, de-duplicates sets, and `{*: *}` as "*"', () => {
    expect(
      renderPolicy([
        {
          sid: "One",
          actions: ["s3:GetObject", "s3:GetObject"],
          resources: ["arn:aws:s3:::b/*"],
          principals: [{ type: "*", identifiers: ["*"] }],
          conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
          sid: "Two",
          effect: "Deny",
          actions: ["s3:PutObject", "s3:DeleteObject"],
          resources: ["arn:aws:s3:::b/&{aws:PrincipalAccount}/*"],
          principals: [{ type: "Service", identifiers: ["ssm.amazonaws.com"] }],
        },
      ]),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "One",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::b/*",
          Principal: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "Two",
          Effect: "Deny",
          Action: ["s3:PutObject", "s3:DeleteObject"],
          Resource: "arn:aws:s3:::b/${aws:PrincipalAccount}/*",
          Principal: { Service: "ssm.amazonaws.com" },
        },
      ],
    });
  });

  it("escapes like Go's encoding/json, counts bytes for S3 and non-white-space characters for IAM", () => {
    expect(goJson({ a: "x&y<z>" })).toBe('{"a":"x\\u0026y\\u003cz\\u003e"}');
    const statements = [{ sid: "S", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::my bucket/é"] }];
    expect(policyBytes(statements)).toBe(goJson(renderPolicy(statements)).length + 1);
    expect(iamPolicyCharacters(statements)).toBe(goJson(renderPolicy(statements)).length - 1);
  });
});
