import { Lazy } from "cdktf";
import { ownerEmailDomains, type OrgConfig } from "../../environments/schema/index.js";

/**
 * The approval callback's environment for its page checks: the base URL links start with (the
 * API's, or the edge's: only pages of that origin may decide), whether CloudFront reports the
 * viewer's address, and, with `jwt.approversOnly`, who may decide per environment. Approvers are
 * listed per environment, never per account: the central stack stays the same size as accounts
 * are added.
 */
export function callbackPageEnvironment(config: OrgConfig, pageUrl: () => string): Record<string, string> {
  const { edge, jwt } = config.org.approval;
  return {
    // resolved at synth: the API (and the edge in front of it) are built after the function they invoke
    APPROVAL_API_URL: Lazy.stringValue({ produce: pageUrl }),
    ...(edge ? { BEHIND_EDGE: "true" } : {}),
    ...(jwt?.approversOnly ? { APPROVER_EMAILS: JSON.stringify(approverDirectory(config)) } : {}),
    // the Owner tag's address decides only in an owner domain (none when owner mail is off)
    ...(jwt?.approversOnly && ownerEmailDomains(config).length > 0 ? { OWNER_EMAIL_DOMAINS: ownerEmailDomains(config).join(",") } : {}),
  };
}

/** Environment → approver addresses, for the environments that use the workflow. */
export function approverDirectory(config: OrgConfig): Record<string, readonly string[]> {
  return Object.fromEntries(config.environments.flatMap((e) => (e.approval?.enabled ? [[e.name, e.approval.approverEmails]] : [])));
}
