import type { Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

/** What a credential in an environment variable looks like: webhook URLs and signed URLs. */
const credentialPatterns = [
  /hooks\.slack\.com\/services\//i,
  /webhook\.office\.com/i,
  /\.logic\.azure\.com/i,
  /[?&]sig=/i,
  /environment\.api\.powerplatform\.com/i,
];

export const lambdaEnvironmentWithoutCredentials: Rule = {
  id: "LAM2",
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
