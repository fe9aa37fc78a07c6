import type { ApprovalRecord, Approver } from "../shared/record.js";
import { ownerMailbox } from "../../shared/owner-mailbox.js";

/**
 * Who decides, from the claims of a JWT that API Gateway's authorizer verified (org.approval.jwt):
 * the issuer and subject always; the e-mail address only when the identity provider says it
 * verified it (`email_verified`), since many providers let users type any address into their
 * profile. And, when the organization asks for it, whether that person may decide this request.
 */
export interface VerifiedDecider {
  readonly issuer?: string;
  readonly subject?: string;
  /** Set only when `email_verified` is true. */
  readonly email?: string;
  /** Why no e-mail address is recorded, when there is none. */
  readonly emailNote?: string;
}

const claimText = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 256) : undefined);

/** HTTP APIs pass every claim as a string ("true"); a token read elsewhere may carry a boolean. */
const isTrue = (value: unknown) => value === true || value === "true";

/** The decider a token names, or undefined when it names nobody (no `sub` and no verified `email`). */
export function deciderOf(claims: Readonly<Record<string, unknown>> | undefined): VerifiedDecider | undefined {
  if (!claims) return undefined;
  const issuer = claimText(claims.iss);
  const subject = claimText(claims.sub);
  const claimedEmail = claimText(claims.email);
  const verified = claimedEmail !== undefined && isTrue(claims.email_verified);
  const email = verified ? claimedEmail : undefined;
  if (!subject && !email) return undefined;
  const emailNote = email
    ? undefined
    : claimedEmail
      ? "the token's email claim is not recorded: its email_verified claim is not true"
      : "the token has no email claim";
  return { issuer, subject, email, emailNote };
}

/** The approver as the record keeps it: the verified e-mail address, else the subject, names them. */
export function verifiedApprover(decider: VerifiedDecider, seen: Pick<Approver, "sourceIp" | "userAgent">): Approver {
  return {
    kind: "verified",
    identity: decider.email ?? decider.subject!,
    issuer: decider.issuer,
    subject: decider.subject,
    email: decider.email,
    emailNote: decider.emailNote,
    ...seen,
  };
}

/** The approver addresses of each environment (`APPROVER_EMAILS`, JSON written at synth), lower-cased. */
export type ApproverDirectory = ReadonlyMap<string, ReadonlySet<string>>;

export function parseApproverDirectory(json: string): ApproverDirectory {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("APPROVER_EMAILS is not a JSON object of environment → addresses");
  const directory = new Map<string, Set<string>>();
  for (const [environment, emails] of Object.entries(parsed)) {
    if (!Array.isArray(emails) || !emails.every((e) => typeof e === "string")) throw new Error(`APPROVER_EMAILS.${environment} is not a list of addresses`);
    directory.set(environment, new Set(emails.map((e: string) => e.toLowerCase())));
  }
  return directory;
}

export type DeciderCheck = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * May this verified person decide this request? An approver of its environment, or the instance's
 * owner: the Owner tag is free text whoever may tag the instance writes, so it names a decider only
 * when it is an address in an owner domain (`ownerDomains`, org.email.ownerDomains), as for mail.
 */
export function mayDecide(
  decider: VerifiedDecider,
  record: Pick<ApprovalRecord, "environment" | "owner">,
  directory: ApproverDirectory,
  ownerDomains: readonly string[],
): DeciderCheck {
  if (!decider.email)
    return {
      allowed: false,
      reason: `only approvers of ${record.environment} and the instance's owner may decide, and your sign-in gives no verified e-mail address (${decider.emailNote})`,
    };
  const email = decider.email.toLowerCase();
  const owner = ownerMailbox(record.owner, ownerDomains);
  if (directory.get(record.environment)?.has(email) || (owner.kind === "mail" && owner.address.toLowerCase() === email)) return { allowed: true };
  return { allowed: false, reason: `${decider.email} is neither an approver of ${record.environment} nor the instance's owner` };
}
