import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { ownerEmailFrom, sendEmail } from "./email.js";

describe("ownerEmailFrom", () => {
  it("accepts a single address and trims it", () => {
    expect(ownerEmailFrom(" alice@example.com ")).toBe("alice@example.com");
  });
  it("rejects names, lists and empty tags", () => {
    expect(ownerEmailFrom("Team Payments")).toBeUndefined();
    expect(ownerEmailFrom("a@example.com, b@example.com")).toBeUndefined();
    expect(ownerEmailFrom(undefined)).toBeUndefined();
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
