import type { Finding, Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

export const dynamodbTablesEncryptedAndRecoverable: Rule = {
  id: "DDB1",
  description: "Every DynamoDB table is encrypted with a customer managed key and has point-in-time recovery",
  explanation:
    "The approvals table holds task tokens and the audit trail: checkov CKV_AWS_119 (CMK) and CKV_AWS_28 / Security Hub DynamoDB.2 (point-in-time recovery).",
  check: (json) =>
    resourcesOf(json, "aws_dynamodb_table").flatMap(([name, body]) => {
      const resource = `aws_dynamodb_table.${name}`;
      const findings: Finding[] = [];
      const sse = body.server_side_encryption as Block | undefined;
      if (sse?.enabled !== true || typeof sse.kms_key_arn !== "string") findings.push({ resource, message: "is not encrypted with a customer managed key" });
      if ((body.point_in_time_recovery as Block | undefined)?.enabled !== true) findings.push({ resource, message: "has no point-in-time recovery" });
      return findings;
    }),
};
