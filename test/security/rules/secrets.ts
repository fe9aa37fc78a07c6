import type { Rule } from "../rule.js";
import { resourcesOf } from "../../support/terraform-json.js";

export const secretsOutsideTerraform: Rule = {
  id: "SEC1",
  description: "Secrets are encrypted with a customer managed key and their values never pass through Terraform",
  explanation:
    "A webhook URL is a credential (Slack's path, the sig= of a Teams Workflows URL); a value in aws_secretsmanager_secret_version lands in the plan, the state and the repository. Operators put values in with put-secret-value.",
  check: (json) => [
    ...resourcesOf(json, "aws_secretsmanager_secret")
      .filter(([, body]) => typeof body.kms_key_id !== "string" || body.kms_key_id === "")
      .map(([name]) => ({ resource: `aws_secretsmanager_secret.${name}`, message: "is not encrypted with a customer managed key" })),
    ...resourcesOf(json, "aws_secretsmanager_secret_version").map(([name]) => ({
      resource: `aws_secretsmanager_secret_version.${name}`,
      message: "puts a secret value into Terraform",
    })),
  ],
};
