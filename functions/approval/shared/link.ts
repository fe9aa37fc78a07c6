import { randomBytes } from "node:crypto";
import { GenerateMacCommand, KMSInvalidMacException, VerifyMacCommand, type KMSClient } from "@aws-sdk/client-kms";
import { APPROVAL_ID_PATTERN } from "../../../contracts/approval.js";

/**
 * Approval links carry a random approval id, an expiry and an HMAC over both; never the task
 * token, which stays in the approvals table. Anyone holding the link may see the request and
 * decide (once): the link is a capability, so it expires, and the decision is a POST that mail
 * scanners do not send.
 */

/** Makes and checks MACs; KMS in AWS (the key never leaves KMS), node:crypto in tests. */
export interface LinkSigner {
  sign(message: Uint8Array): Promise<Uint8Array>;
  verify(message: Uint8Array, mac: Uint8Array): Promise<boolean>;
}

/** A KMS HMAC_256 key (GENERATE_VERIFY_MAC): the request function signs, the callback verifies. */
export class KmsLinkSigner implements LinkSigner {
  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(message: Uint8Array): Promise<Uint8Array> {
    const result = await this.client.send(new GenerateMacCommand({ KeyId: this.keyId, Message: message, MacAlgorithm: "HMAC_SHA_256" }));
    if (!result.Mac) throw new Error("KMS GenerateMac returned no MAC");
    return result.Mac;
  }

  async verify(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    try {
      const result = await this.client.send(new VerifyMacCommand({ KeyId: this.keyId, Message: message, Mac: mac, MacAlgorithm: "HMAC_SHA_256" }));
      return result.MacValid === true;
    } catch (error) {
      // VerifyMac reports a MAC that does not match as this exception, not as MacValid=false
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}

/** 128 random bits, URL-safe: 22 characters. */
export function newApprovalId(): string {
  return randomBytes(16).toString("base64url");
}

const expiryPattern = /^[1-9][0-9]{8,10}$/;
/** A SHA-256 MAC, base64url without padding. */
const signaturePattern = /^[A-Za-z0-9_-]{43}$/;

/** What is signed: a versioned, unambiguous string of id and expiry. */
function linkMessage(approvalId: string, expiresAt: number): Uint8Array {
  return new TextEncoder().encode(`patchline-approval-link:v1:${approvalId}:${expiresAt}`);
}

export interface LinkParts {
  readonly approvalId: string;
  /** Unix seconds. */
  readonly expiresAt: number;
  readonly signature: string;
}

/** The path of an approval's page below the API's base URL. */
export const approvalPath = (approvalId: string): string => `/approvals/${approvalId}`;

export async function signLink(approvalId: string, expiresAt: number, signer: LinkSigner): Promise<LinkParts> {
  const mac = await signer.sign(linkMessage(approvalId, expiresAt));
  return { approvalId, expiresAt, signature: Buffer.from(mac).toString("base64url") };
}

/** `https://<api>/approvals/<id>?e=<expiry>&s=<signature>` */
export function linkUrl(baseUrl: string, parts: LinkParts): string {
  return `${baseUrl.replace(/\/+$/, "")}${approvalPath(parts.approvalId)}?e=${parts.expiresAt}&s=${parts.signature}`;
}

export type LinkCheck = { readonly valid: true; readonly expiresAt: number } | { readonly valid: false; readonly problem: "malformed" | "expired" | "forged" };

/**
 * Checks a link's parts as they arrive (strings from a URL or form). Cheap checks first, so that
 * junk never reaches KMS; an expired link is reported as expired whether or not its MAC is good,
 * which tells a forger nothing.
 */
export async function checkLink(raw: { approvalId?: string; expires?: string; signature?: string }, now: Date, signer: LinkSigner): Promise<LinkCheck> {
  const { approvalId, expires, signature } = raw;
  if (!approvalId || !expires || !signature || !APPROVAL_ID_PATTERN.test(approvalId) || !expiryPattern.test(expires) || !signaturePattern.test(signature)) {
    return { valid: false, problem: "malformed" };
  }
  const expiresAt = Number(expires);
  if (expiresAt * 1000 <= now.getTime()) return { valid: false, problem: "expired" };
  const mac = Buffer.from(signature, "base64url");
  // base64url's last character carries spare bits: accept only the canonical spelling of a MAC
  if (mac.toString("base64url") !== signature) return { valid: false, problem: "malformed" };
  const ok = await signer.verify(linkMessage(approvalId, expiresAt), mac);
  return ok ? { valid: true, expiresAt } : { valid: false, problem: "forged" };
}
