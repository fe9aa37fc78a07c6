import { ownerEmailDomains, type OrgConfig } from "../../environments/schema/index.js";
import { approverDirectory } from "../approval/page-environment.js";
import type { Naming } from "../naming.js";
import { awsLimits, count } from "./aws.js";
import type { LimitProblem } from "./growth.js";

/**
 * With `org.approval.jwt.approversOnly` the approval callback carries every approving
 * environment's approver addresses in one environment variable, and Lambda allows 4 KB for all of
 * a function's variables together. The other variables are measured at their deployed length:
 * ARNs and URLs Terraform fills in have a fixed shape (the API's URL is the longer of the two a
 * link can start with).
 */
export function checkCallbackEnvironment(config: OrgConfig, naming: Naming): LimitProblem[] {
  const { jwt, edge } = config.org.approval;
  if (!jwt?.approversOnly) return [];
  const { region, accountId } = config.org.central;
  const variables: Record<string, string> = {
    POWERTOOLS_SERVICE_NAME: naming.approvalFunction("callback"),
    APPROVALS_TABLE: naming.approvalsTable,
    LINK_KEY_ID: `arn:aws:kms:${region}:${accountId}:key/${"0".repeat(36)}`,
    JWT_ISSUER: jwt.issuer,
    APPROVAL_API_URL: config.org.approval.pageUrl ?? `https://${"0".repeat(10)}.execute-api.${region}.amazonaws.com`,
    ...(edge ? { BEHIND_EDGE: "true" } : {}),
    APPROVER_EMAILS: JSON.stringify(approverDirectory(config)),
    ...(ownerEmailDomains(config).length > 0 ? { OWNER_EMAIL_DOMAINS: ownerEmailDomains(config).join(",") } : {}),
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
