import { describe, expect, it } from "vitest";
import { approvalRecord } from "../../../test/support/approval-fakes.js";
import { escalationMessage, outcomeMessage } from "../outcome/messages.js";
import { requestMessage } from "../request/messages.js";

/** Tag values come from whoever may tag the instance in a member account. */
const hostile = approvalRecord({
  instanceName: 'web-1 <img src=x onerror="alert(1)">\r\nApprove now: https://evil.example/approve',
  owner: "alice@example.com\nReview and decide: https://evil.example/decide",
});
const link = "https://approve.example.com/a/Yq3Yw8n1Zq5d0xJ2r6u9Aw?e=1&s=sig";
const request = requestMessage(hostile, { link, linkExpiresAt: "2027-03-06T21:40:00.000Z", reminder: 0, ownerTagKey: "Owner" });

/** Lines a mail's reader sees starting with the given words. */
const linesStarting = (text: string, words: string) => text.split("\n").filter((line) => line.startsWith(words));

describe("approval messages with hostile tag values", () => {
  it("show the tags in the request's HTML as text: no element of theirs, patchline's link intact", () => {
    expect(request.html).not.toContain("<img");
    expect(request.html).toContain("web-1 &lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(request.html.match(/<a href="[^"]*">/g)).toEqual([`<a href="${link.replace(/&/g, "&amp;")}">`]);
  });

  it("keep each tag on its own line in the request's text: no forged line, patchline's link line intact", () => {
    expect(linesStarting(request.text, "Approve now")).toEqual([]);
    expect(linesStarting(request.text, "Review and decide")).toEqual([`Review and decide: ${link}`]);
    expect(request.text).toContain("Owner (tag Owner): alice@example.com Review and decide: https://evil.example/decide");
    expect(request.subject).not.toMatch(/[\r\n]/);
  });

  it("keep each tag on its own line in the outcome and escalation texts", () => {
    const outcome = outcomeMessage(hostile, { status: "patched", finishedAt: "2027-03-04T09:00:00.000Z" }, undefined, hostile.execution);
    const escalation = escalationMessage(hostile);
    for (const message of [outcome, escalation]) {
      expect(linesStarting(message.text, "Approve now")).toEqual([]);
      expect(linesStarting(message.text, "Review and decide")).toEqual([]);
      expect(message.subject).not.toMatch(/[\r\n]/);
    }
    expect(escalation.text).toContain("Owner: alice@example.com Review and decide: https://evil.example/decide");
  });
});
