import type { Rule } from "../rule.js";
import { resourcesOf } from "../../support/terraform-json.js";

export const sqsQueuesEncryptedWithCmk: Rule = {
  id: "SQS1",
  description: "Every SQS queue is encrypted with a customer managed key",
  explanation: "Dead-letter queues hold whole events (instance ids, accounts): checkov CKV_AWS_27 / CKV2_AWS_73, trivy AWS-0135.",
  check: (json) =>
    resourcesOf(json, "aws_sqs_queue")
      .filter(([, body]) => typeof body.kms_master_key_id !== "string" || body.kms_master_key_id === "" || body.kms_master_key_id === "alias/aws/sqs")
      .map(([name]) => ({ resource: `aws_sqs_queue.${name}`, message: "is not encrypted with a customer managed key" })),
};
