import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { HmacLinkSigner } from "../../../test/support/approval-fakes.js";
import { checkLink, KmsLinkSigner, linkUrl, newApprovalId, signLink } from "./link.js";

const kms = mockClient(KMSClient);
const KEY = "alias/patchline-approval-links";
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";
const now = new Date("2027-03-04T08:00:00.000Z");
const expires = now.getTime() / 1000 + 3600;

beforeEach(() => kms.reset());

describe("approval ids", () => {
  it("are 128 random bits, URL-safe, never repeated", () => {
    const ids = new Set(Array.from({ length: 1000 }, newApprovalId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from([...ids][0]!, "base64url")).toHaveLength(16);
  });
});

describe("KmsLinkSigner", () => {
  it("signs with GenerateMac on the HMAC key, over the id and the expiry", async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(7) });
    const parts = await signLink(ID, expires, new KmsLinkSigner(new KMSClient({ region: "us-east-1" }), KEY));
    expect(parts.signature).toBe(Buffer.alloc(32, 7).toString("base64url"));
    const input = kms.commandCalls(GenerateMacCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: KEY, MacAlgorithm: "HMAC_SHA_256" });
    expect(new TextDecoder().decode(input.Message)).toBe(`patchline-approval-link:v1:${ID}:${expires}`);
  });

  it("verifies with VerifyMac, and a MAC KMS rejects is simply invalid", async () => {
    const signer = new KmsLinkSigner(new KMSClient({ region: "us-east-1" }), KEY);
    kms
      .on(VerifyMacCommand)
      .resolvesOnce({ MacValid: true })
      .rejects(new KMSInvalidMacException({ message: "invalid", $metadata: {} }));
    const signature = Buffer.alloc(32, 7).toString("base64url");
    await expect(checkLink({ approvalId: ID, expires: String(expires), signature }, now, signer)).resolves.toEqual({ valid: true, expiresAt: expires });
    await expect(checkLink({ approvalId: ID, expires: String(expires), signature }, now, signer)).resolves.toEqual({ valid: false, problem: "forged" });
  });

  it("never calls KMS for links that are malformed or expired", async () => {
    const signer = new KmsLinkSigner(new KMSClient({ region: "us-east-1" }), KEY);
    const signature = Buffer.alloc(32, 7).toString("base64url");
    await expect(checkLink({ approvalId: "short", expires: String(expires), signature }, now, signer)).resolves.toEqual({ valid: false, problem: "malformed" });
    await expect(checkLink({ approvalId: ID, expires: "12ab", signature }, now, signer)).resolves.toEqual({ valid: false, problem: "malformed" });
    await expect(checkLink({ approvalId: ID, expires: String(expires - 7200), signature }, now, signer)).resolves.toEqual({ valid: false, problem: "expired" });
    expect(kms).not.toHaveReceivedCommand(VerifyMacCommand);
  });
});

describe("checkLink", () => {
  const signer = new HmacLinkSigner();

  it("accepts exactly what was signed", async () => {
    const parts = await signLink(ID, expires, signer);
    await expect(checkLink({ approvalId: ID, expires: String(expires), signature: parts.signature }, now, signer)).resolves.toMatchObject({ valid: true });
    await expect(checkLink({ approvalId: "Zq3Yw8n1Zq5d0xJ2r6u9Aw", expires: String(expires), signature: parts.signature }, now, signer)).resolves.toEqual({
      valid: false,
      problem: "forged",
    });
    await expect(checkLink({ approvalId: ID, expires: String(expires + 1), signature: parts.signature }, now, signer)).resolves.toEqual({
      valid: false,
      problem: "forged",
    });
  });

  it("rejects a non-canonical spelling of a valid MAC (spare bits of the last character)", async () => {
    const parts = await signLink(ID, expires, signer);
    const last = parts.signature.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // the last of 43 characters carries 4 bits: its 2 low bits are padding
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    const variant = parts.signature.slice(0, -1) + sibling;
    expect(Buffer.from(variant, "base64url").equals(Buffer.from(parts.signature, "base64url"))).toBe(true);
    await expect(checkLink({ approvalId: ID, expires: String(expires), signature: variant }, now, signer)).resolves.toEqual({
      valid: false,
      problem: "malformed",
    });
  });

  it("expires at the signed second", async () => {
    const parts = await signLink(ID, expires, signer);
    await expect(checkLink({ approvalId: ID, expires: String(expires), signature: parts.signature }, new Date(expires * 1000), signer)).resolves.toEqual({
      valid: false,
      problem: "expired",
    });
  });

  it("builds the link below the API's URL", () => {
    expect(linkUrl("https://abc.execute-api.us-east-1.amazonaws.com/", { approvalId: ID, expiresAt: 1_803_000_000, signature: "x".repeat(43) })).toBe(
      `https://abc.execute-api.us-east-1.amazonaws.com/approvals/${ID}?e=1803000000&s=${"x".repeat(43)}`,
    );
  });
});
