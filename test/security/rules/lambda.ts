import type { Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

export const lambdaPermissionsScoped: Rule = {
  id: "LMB1",
  description: "Every Lambda permission for a service principal names the source ARN",
  explanation: "checkov CKV_AWS_364 / trivy AWS-0067 / Security Hub Lambda.1: without a source ARN any rule, bucket or API of any account could invoke the function through that service.",
  check: (json) =>
    resourcesOf(json, "aws_lambda_permission")
      .filter(([, body]) => String(body.principal).endsWith(".amazonaws.com") && (typeof body.source_arn !== "string" || body.source_arn === ""))
      .map(([name, body]) => ({ resource: `aws_lambda_permission.${name}`, message: `lets ${String(body.principal)} invoke without a source_arn` })),
};

/** What a credential in an environment variable looks like: webhook URLs and signed URLs. */
const credentialPatterns = [/hooks\.slack\.com\/services\//i, /webhook\.office\.com/i, /\.logic\.azure\.com/i, /[?&]sig=/i, /environment\.api\.powerplatform\.com/i];

export const lambdaEnvironmentWithoutCredentials: Rule = {
  id: "LMB2",
  description: "No Lambda environment variable holds a webhook URL or other URL credential",
  explanation: "Environment variables show in the console, the plan and the state (checkov CKV_AWS_45); webhook URLs come from Secrets Manager at run time.",
  check: (json) =>
    resourcesOf(json, "aws_lambda_function").flatMap(([name, body]) => {
      const variables = ((body.environment as Block | undefined)?.variables as Record<string, unknown> | undefined) ?? {};
      return Object.entries(variables)
        .filter(([, value]) => credentialPatterns.some((p) => p.test(String(value))))
        .map(([key]) => ({ resource: `aws_lambda_function.${name}`, message: `environment variable ${key} holds a URL credential` }));
    }),
};
