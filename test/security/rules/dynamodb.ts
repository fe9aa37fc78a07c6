import type { Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

export const dynamodbEncryptedAndRecoverable: Rule = {
  id: "DDB1",
  description: "Every DynamoDB table is encrypted with a customer managed key and has point-in-time recovery",
  explanation: "checkov CKV_AWS_119 (CMK) and CKV_AWS_28 / Security Hub DynamoDB.2 (point-in-time recovery).",
  check: (json) =>
    resourcesOf(json, "aws_dynamodb_table").flatMap(([name, body]) => {
      const sse = body.server_side_encryption as Block | undefined;
      const problems: string[] = [];
      if (sse?.enabled !== true || typeof sse.kms_key_arn !== "string") problems.push("is not encrypted with a customer managed key");
      if ((body.point_in_time_recovery as Block | undefined)?.enabled !== true) problems.push("has no point-in-time recovery");
      return problems.map((message) => ({ resource: `aws_dynamodb_table.${name}`, message }));
    }),
};
