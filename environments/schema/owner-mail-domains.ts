import type { Environment } from "./environment.js";
import type { Org } from "./org.js";

const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();

/**
 * The domains whose addresses an instance's owner tag may name to be mailed: `org.email.ownerDomains`,
 * or, when that is not set, the domains of the addresses the config already sends patchline mail
 * to (the sender, every environment's approvers, the escalation and notification subscribers), so
 * a config written before the setting keeps mailing its own organization's owners and no other.
 * Empty when owner mail is off (no `org.email`).
 */
export function ownerEmailDomains(config: { readonly org: Org; readonly environments: readonly Environment[] }): string[] {
  const { org } = config;
  if (!org.email) return [];
  if (org.email.ownerDomains) return [...org.email.ownerDomains].sort();
  const addresses = [
    org.email.senderAddress,
    ...config.environments.flatMap((env) => env.approval?.approverEmails ?? []),
    ...org.approval.escalationEmails,
    ...org.notifications.emailSubscribers,
  ];
  return [...new Set(addresses.map(domainOf))].sort();
}
