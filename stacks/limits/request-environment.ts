import type { OrgConfig } from "../../environments/schema/index.js";
import { requestEnvironment } from "../approval/request-environment.js";
import type { Naming } from "../naming.js";
import { awsLimits, count } from "./aws.js";
import type { LimitProblem } from "./growth.js";

/**
 * The approval-request function carries the chat channels of every environment that posts its
 * approval requests to chat (`approval.channels`) in one environment variable, and Lambda allows
 * 4 KB for all of a function's variables together. Measured as the construct sets them
 * (`requestEnvironment`), at their deployed length: the link key's ARN and the API's URL have a fixed shape.
 */
export function checkRequestEnvironment(config: OrgConfig, naming: Naming): LimitProblem[] {
  const posting = config.environments.filter((e) => e.approval?.enabled && e.approval.channels.length > 0);
  if (posting.length === 0) return [];
  const { region, accountId } = config.org.central;
  const variables: Record<string, string> = {
    // the function construct (stacks/core/lambda-function.ts) adds the service name to every function's
    POWERTOOLS_SERVICE_NAME: naming.approvalFunction("request"),
    ...requestEnvironment(config, naming, {
      linkKeyArn: `arn:aws:kms:${region}:${accountId}:key/${"0".repeat(36)}`,
      pageUrl: config.org.approval.pageUrl ?? `https://${"0".repeat(10)}.execute-api.${region}.amazonaws.com`,
    }),
  };
  const bytes = Object.entries(variables).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  const limit = awsLimits.lambdaEnvironmentBytes;
  if (bytes <= limit) return [];
  return [
    {
      path: [posting.at(-1)!.name, "approval", "channels"],
      message: `the approval-request function would carry the approval channels of ${posting.map((e) => e.name).join(", ")} in its environment, ${count(bytes)} bytes with its other variables, above Lambda's ${count(limit)}-byte (4 KB) limit per function: post to fewer channels (several environments may share one), or shorten channel names`,
    },
  ];
}
