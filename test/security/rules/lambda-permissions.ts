import type { Rule } from "../rule.js";
import { resourcesOf } from "../../support/terraform-json.js";

/** `<execution ARN>/<stage>/<METHOD>/<path>`: the method is the third segment after the API's ARN. */
function apiMethodOf(sourceArn: string): string | undefined {
  return sourceArn.split("/")[2];
}

export const lambdaPermissionsScoped: Rule = {
  id: "LAM1",
  description: "Lambda permissions for AWS services name the source ARN; API Gateway's names the method",
  explanation:
    "A service principal without source_arn lets that service invoke the function for any account (checkov CKV_AWS_364, trivy AWS-0067, Security Hub Lambda.1); an API Gateway source ARN with any method lets every route of the API invoke it.",
  check: (json) =>
    resourcesOf(json, "aws_lambda_permission").flatMap(([name, body]) => {
      const resource = `aws_lambda_permission.${name}`;
      const principal = String(body.principal);
      if (principal === "*") return [{ resource, message: 'allows principal "*"' }];
      if (!principal.endsWith(".amazonaws.com")) return [];
      if (typeof body.source_arn !== "string" || body.source_arn === "") return [{ resource, message: `lets ${principal} invoke without a source_arn` }];
      if (principal === "apigateway.amazonaws.com") {
        const method = apiMethodOf(body.source_arn);
        if (!method || method === "*") return [{ resource, message: `source_arn ${body.source_arn} allows every method of the API` }];
      }
      return [];
    }),
};
