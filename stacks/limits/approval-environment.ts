import type { OrgConfig } from "../../environments/schema/index.js";
import type { ApprovalFunction } from "../../contracts/functions.js";
import type { Naming } from "../naming.js";
import { awsLimits, count } from "./aws.js";
import type { LimitProblem } from "./growth.js";

/** What Terraform fills into an approval function's environment: the link key's ARN and the URL links start with. */
type DeployedRefs = { readonly linkKeyArn: string; readonly pageUrl: string };

/**
 * Lambda allows 4 KB for all of a function's environment variables together. An approval function's
 * variables measured as the construct sets them (`environmentOf`), at their deployed length: the
 * link key's ARN and the API's URL have a fixed shape (the API's URL is the longer of the two a link
 * can start with, unless pageUrl is set). The problem at `path` when they do not fit, `advice` after
 * the measure; none when they do.
 */
export function approvalEnvironmentProblems(
  config: OrgConfig,
  naming: Naming,
  fn: ApprovalFunction,
  environmentOf: (config: OrgConfig, naming: Naming, refs: DeployedRefs) => Record<string, string>,
  problem: { readonly path: LimitProblem["path"]; readonly carries: string; readonly advice: string },
): LimitProblem[] {
  const { region, accountId } = config.org.central;
  const variables: Record<string, string> = {
    // the function construct (stacks/core/lambda-function.ts) adds the service name to every function's
    POWERTOOLS_SERVICE_NAME: naming.approvalFunction(fn),
    ...environmentOf(config, naming, {
      linkKeyArn: `arn:aws:kms:${region}:${accountId}:key/${"0".repeat(36)}`,
      pageUrl: config.org.approval.pageUrl ?? `https://${"0".repeat(10)}.execute-api.${region}.amazonaws.com`,
    }),
  };
  const bytes = Object.entries(variables).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  const limit = awsLimits.lambdaEnvironmentBytes;
  if (bytes <= limit) return [];
  return [
    {
      path: problem.path,
      message: `${problem.carries} in its environment, ${count(bytes)} bytes with its other variables, above Lambda's ${count(limit)}-byte (4 KB) limit per function: ${problem.advice}`,
    },
  ];
}
