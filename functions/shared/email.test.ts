import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { sendEmail } from "./email.js";
import { ownerDomainsFrom, ownerMailbox } from "./owner-mailbox.js";

describe("ownerMailbox", () => {
  const domains = ["example.com", "*.corp.example.net"];
  it("mails a single address in an owner domain, trimmed, the domain matched without case", () => {
    expect(ownerMailbox(" alice@example.com ", domains)).toEqual({ kind: "mail", address: "alice@example.com" });
    expect(ownerMailbox("bob@Example.COM", domains)).toEqual({ kind: "mail", address: "bob@Example.COM" });
    expect(ownerMailbox("carol@eu.corp.example.net", domains)).toEqual({ kind: "mail", address: "carol@eu.corp.example.net" });
  });
  it("reports an address outside the owner domains as invalid: lookalikes, parents and other domains", () => {
    for (const [value, domain] of [
      ["mallory@evil.example", "evil.example"],
      ["mallory@example.com.evil.example", "example.com.evil.example"],
      ["mallory@notexample.com", "notexample.com"],
      ["dave@corp.example.net", "corp.example.net"],
    ])
      expect(ownerMailbox(value, domains)).toEqual({ kind: "invalid", reason: `${domain} is not an owner domain` });
    expect(ownerMailbox("alice@example.com", [])).toEqual({ kind: "invalid", reason: "example.com is not an owner domain" });
  });
  it("reports names and lists as invalid, and an empty tag as no owner", () => {
    expect(ownerMailbox("Team Payments", domains)).toEqual({ kind: "invalid", reason: "not a single e-mail address" });
    expect(ownerMailbox("a@example.com, b@example.com", domains)).toEqual({ kind: "invalid", reason: "not a single e-mail address" });
    expect(ownerMailbox(undefined, domains)).toEqual({ kind: "none" });
    expect(ownerMailbox("  ", domains)).toEqual({ kind: "none" });
  });
  it("reads the domains of OWNER_EMAIL_DOMAINS", () => {
    expect(ownerDomainsFrom("example.com, *.corp.example.net")).toEqual(["example.com", "*.corp.example.net"]);
    expect(ownerDomainsFrom(undefined)).toEqual([]);
  });
});

describe("sendEmail", () => {
  it("sends text and html from the configured identity", async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
    const id = await sendEmail(
      { client: new SESv2Client({ region: "us-east-1" }), from: "patchline@example.com" },
      { to: ["o@example.com"], subject: "s", text: "t", html: "<p>t</p>" },
    );
    expect(id).toBe("m-1");
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: "patchline@example.com",
      Destination: { ToAddresses: ["o@example.com"] },
      Content: {
        Simple: { Subject: { Data: "s", Charset: "UTF-8" }, Body: { Text: { Data: "t", Charset: "UTF-8" }, Html: { Data: "<p>t</p>", Charset: "UTF-8" } } },
      },
    });
  });
});
