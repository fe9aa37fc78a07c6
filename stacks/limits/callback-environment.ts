import type { OrgConfig } from "../../environments/schema/index.js";
import { callbackEnvironment } from "../approval/page-environment.js";
import type { Naming } from "../naming.js";
import { awsLimits, count } from "./aws.js";
import type { LimitProblem } from "./growth.js";

/**
 * With `org.approval.jwt.approversOnly` the approval callback carries every approving
 * environment's approver addresses in one environment variable, and Lambda allows 4 KB for all of
 * a function's variables together. The variables are the ones the construct sets
 * (`callbackEnvironment`), at their deployed length: ARNs and URLs Terraform fills in have a fixed
 * shape (the API's URL is the longer of the two a link can start with, unless pageUrl is set).
 */
export function checkCallbackEnvironment(config: OrgConfig, naming: Naming): LimitProblem[] {
  if (!config.org.approval.jwt?.approversOnly) return [];
  const { region, accountId } = config.org.central;
  // the function construct (stacks/core/lambda-function.ts) adds the service name to every function's
  const variables: Record<string, string> = {
    POWERTOOLS_SERVICE_NAME: naming.approvalFunction("callback"),
    ...callbackEnvironment(config, naming, {
      linkKeyArn: `arn:aws:kms:${region}:${accountId}:key/${"0".repeat(36)}`,
      pageUrl: config.org.approval.pageUrl ?? `https://${"0".repeat(10)}.execute-api.${region}.amazonaws.com`,
    }),
  };
  const bytes = Object.entries(variables).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  const limit = awsLimits.lambdaEnvironmentBytes;
  if (bytes <= limit) return [];
  return [
    {
      path: ["org", "approval", "jwt", "approversOnly"],
      message: `the approval callback would carry every approving environment's approverEmails in its environment, ${count(bytes)} bytes with its other variables, above Lambda's ${count(limit)}-byte (4 KB) limit per function: list fewer addresses (a group address per environment) or turn approversOnly off`,
    },
  ];
}
