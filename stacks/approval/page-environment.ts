import { ownerEmailDomains, type OrgConfig } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";

/**
 * The approval callback's environment: its table and link key, and for its page checks the base URL
 * links start with (only pages of that origin may decide), whether CloudFront reports the viewer's
 * address, and, with `jwt.approversOnly`, who may decide per environment. The construct passes
 * Terraform references; the limit check (stacks/limits/callback-environment.ts) values of their
 * deployed shape, to measure the same variables Lambda will hold. Approvers are
 * listed per environment, never per account: the central stack stays the same size as accounts
 * are added.
 */
export function callbackEnvironment(
  config: OrgConfig,
  naming: Naming,
  refs: { readonly linkKeyArn: string; readonly pageUrl: string },
): Record<string, string> {
  const { edge, jwt } = config.org.approval;
  const ownerDomains = ownerEmailDomains(config);
  return {
    APPROVALS_TABLE: naming.approvalsTable,
    LINK_KEY_ID: refs.linkKeyArn,
    ...(jwt ? { JWT_ISSUER: jwt.issuer } : {}),
    APPROVAL_API_URL: refs.pageUrl,
    ...(edge ? { BEHIND_EDGE: "true" } : {}),
    ...(jwt?.approversOnly ? { APPROVER_EMAILS: JSON.stringify(approverDirectory(config)) } : {}),
    // the Owner tag's address decides only in an owner domain (none when owner mail is off)
    ...(jwt?.approversOnly && ownerDomains.length > 0 ? { OWNER_EMAIL_DOMAINS: ownerDomains.join(",") } : {}),
  };
}

/** Environment → approver addresses, for the environments that use the workflow. */
export function approverDirectory(config: OrgConfig): Record<string, readonly string[]> {
  return Object.fromEntries(config.environments.flatMap((e) => (e.approval?.enabled ? [[e.name, e.approval.approverEmails]] : [])));
}
