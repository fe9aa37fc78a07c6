import type { Rule } from "../rule.js";
import { resourcesOf } from "../../support/terraform-json.js";

export const snsEncrypted: Rule = {
  id: "SNS1",
  description: "Every SNS topic is encrypted with KMS",
  explanation: "Messages at rest in SNS are encrypted (Security Hub SNS.1).",
  check: (json) =>
    resourcesOf(json, "aws_sns_topic")
      .filter(([, body]) => typeof body.kms_master_key_id !== "string" || body.kms_master_key_id === "")
      .map(([name]) => ({ resource: `aws_sns_topic.${name}`, message: "has no kms_master_key_id" })),
};

export const logGroupsRetained: Rule = {
  id: "LOG1",
  description: "Every CloudWatch log group has a retention period",
  explanation: "Without one, logs are kept (and paid for) forever.",
  check: (json) =>
    resourcesOf(json, "aws_cloudwatch_log_group")
      .filter(([, body]) => typeof body.retention_in_days !== "number" || body.retention_in_days <= 0)
      .map(([name]) => ({ resource: `aws_cloudwatch_log_group.${name}`, message: "has no retention_in_days" })),
};
