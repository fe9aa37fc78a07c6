/**
 * Who of an Owner tag may be mailed: pure, without the SES client, so the functions that only
 * judge owners (the report, the notices' split) do not bundle a mail call they never make.
 */

/** What to do with an owner tag: nothing (no tag), mail the address, or report the tag as an invalid owner. */
export type OwnerMailbox =
  | { readonly kind: "none" }
  | { readonly kind: "mail"; readonly address: string }
  | { readonly kind: "invalid"; readonly reason: string };

const inDomain = (domain: string, pattern: string) => (pattern.startsWith("*.") ? domain.endsWith(pattern.slice(1)) : domain === pattern);

/**
 * Owner tags hold free text, written by whoever may tag the instance: only a single plausible
 * address in one of the owner domains is mailed (owners get approval links). Anything else is an
 * invalid owner, with the reason, for the digest to list.
 */
export function ownerMailbox(tagValue: string | undefined, ownerDomains: readonly string[]): OwnerMailbox {
  const value = tagValue?.trim();
  if (!value) return { kind: "none" };
  if (!/^[^\s@,;<>"'()]+@[^\s@,;<>"'()]+\.[^\s@,;<>"'()]+$/.test(value)) return { kind: "invalid", reason: "not a single e-mail address" };
  const domain = value.slice(value.lastIndexOf("@") + 1).toLowerCase();
  if (!ownerDomains.some((pattern) => inDomain(domain, pattern))) return { kind: "invalid", reason: `${domain} is not an owner domain` };
  return { kind: "mail", address: value };
}

/** The comma-separated owner domains of an environment variable (OWNER_EMAIL_DOMAINS). */
export const ownerDomainsFrom = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean);
