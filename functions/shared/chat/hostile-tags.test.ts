import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { IncomingWebhookSendArguments } from "@slack/webhook";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adaptiveCardProblems, cardMarkdownTexts, cardTexts } from "../../../test/support/adaptive-card.js";
import { exampleCatalog } from "../../../test/support/catalog.js";
import { sampleReport } from "../../../test/support/compliance-fixtures.js";
import { startWebhookServer, type WebhookServer } from "../../../test/support/webhook-server.js";
import { digestDocument } from "../../compliance/digest/digest.js";
import { failureDocument } from "../../compliance/failures/format.js";
import { dueNotices } from "../../compliance/notices/due.js";
import { noticeDocument } from "../../compliance/notices/notice.js";
import { deliver, type DeliveryDeps } from "./deliver.js";
import type { NoticeDocument } from "./document.js";
import type { TeamsMessage } from "./teams-format.js";

/**
 * Tag values are written by whoever may tag an instance in a member account. These go through the
 * real document builders (digest, notice, failure notification) and the real channel formats, to
 * a local webhook (Slack through @slack/webhook, Teams) and a mocked SNS (e-mail).
 */
const hostile = {
  name: "[Patch failed – sign in](https://evil.example) <https://evil.example|click> <!channel> @here *URGENT* <img src=x onerror=alert(1)>",
  owner: "ops@example.com\nApprove now: https://evil.example/approve",
};
const EVIL = /https?:\/\/evil\.example/;

const sns = mockClient(SNSClient);
let server: WebhookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
beforeEach(() => sns.reset());

const deps = (): DeliveryDeps => ({ sns: new SNSClient({ region: "us-east-1" }), webhookUrl: async () => server!.url, fetch });
const reportLink = { label: "Open the report", url: "https://s3.console.aws.amazon.com/s3/object/patchline-reports?region=us-east-1&prefix=r" };

/** The three kinds of document patchline sends to channels, each carrying the hostile tag values. */
function documents(): Record<string, NoticeDocument> {
  const report = sampleReport(2);
  const [first, ...rest] = report.findings;
  const digest = digestDocument(
    { ...report, findings: [{ ...first!, name: hostile.name, owner: hostile.owner }, ...rest] },
    { instanceLimit: 50, reportLink, reportPath: "s3://patchline-reports/reports/r/report.html" },
  );
  const due = dueNotices(exampleCatalog, new Date("2027-02-03T20:00:00Z")).find((n) => n.environment.name === "prod")!;
  const notice = noticeDocument(
    due,
    [
      {
        accountId: "400000000002",
        accountName: "web-prod",
        region: "eu-west-1",
        instances: [{ instanceId: "i-0aaaaaaaaaaaaaaa1", ...hostile, state: "running" }],
      },
    ],
    due.runAt,
    "channel",
  );
  const failure = failureDocument(
    {
      kind: "patch-command",
      accountId: "400000000002",
      region: "eu-west-1",
      status: "Failed",
      time: "2027-02-04T04:00:00Z",
      instanceId: "i-0aaaaaaaaaaaaaaa1",
    },
    { instanceName: hostile.name, owner: hostile.owner },
    { environment: "prod", accountName: "web-prod" },
  );
  return { digest, notice, failure };
}

describe.each(Object.entries(documents()))("hostile tag values in the %s", (kind, document) => {
  it("reach Slack as text: no link, mention or formatting of theirs, every text object verbatim", async () => {
    server = await startWebhookServer();
    await deliver({ name: "s", type: "slack", destination: "s" }, document, deps());
    const payloads = server.requests.map((r) => JSON.parse(r.body) as IncomingWebhookSendArguments);
    const objects = payloads.flatMap((p) =>
      p.blocks!.flatMap((b) => {
        const block = b as { text?: { type: string; text: string; verbatim?: boolean }; elements?: { type: string; text: string; verbatim?: boolean }[] };
        return [...(block.text ? [block.text] : []), ...(block.elements ?? [])];
      }),
    );
    const mrkdwn = objects.filter((o) => o.type === "mrkdwn");
    expect(mrkdwn.every((o) => o.verbatim === true)).toBe(true);
    // the notification text is mrkdwn as well
    const texts = [...payloads.map((p) => p.text!), ...mrkdwn.map((o) => o.text)];
    const all = texts.join("\n");
    // Slack's markup starts with <: the only one left is patchline's own link in the digest
    expect(all.match(/<[^&]/g) ?? []).toEqual(kind === "digest" ? ["<h"] : []);
    if (kind === "digest") expect(all).toContain(`<${reportLink.url}|Open the report>`);
    expect(all).not.toMatch(EVIL);
    expect(all).not.toMatch(/(^|\s)@here\b/);
    expect(all).not.toContain("*URGENT*");
    // what a reader needs is still there, readable
    expect(all).toContain("i-0");
    expect(all).toContain("&lt;!channel&gt;");
    expect(all).toContain("Patch failed – sign in");
    // no line of the owner's own: the forged one is part of the owner's line
    expect(all).not.toMatch(/\nApprove now/);
    expect(payloads.every((p) => p.unfurl_links === false && p.unfurl_media === false)).toBe(true);
  });

  it("reach Teams as TextRuns: no Markdown text at all, no link of theirs", async () => {
    server = await startWebhookServer([], { status: 202 });
    await deliver({ name: "t", type: "teams", destination: "t" }, document, deps());
    const cards = server.requests.map((r) => (JSON.parse(r.body) as TeamsMessage).attachments[0].content);
    for (const card of cards) {
      expect(adaptiveCardProblems(card)).toEqual([]);
      expect(cardMarkdownTexts(card)).toEqual([]);
      expect(card.actions ?? []).toEqual(kind === "digest" ? [{ type: "Action.OpenUrl", id: "open-link", title: "Open the report", url: reportLink.url }] : []);
    }
    const shown = cards.flatMap(cardTexts);
    expect(shown.join("\n")).not.toMatch(EVIL);
    expect(shown.some((t) => t.includes("[Patch failed – sign in](https:\u2060//evil.example)"))).toBe(true);
    expect(shown.some((t) => t.startsWith("Approve now"))).toBe(false);
  });

  it("reach e-mail as one line each: no line forged by a line break", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m" });
    await deliver({ name: "m", type: "email", destination: "arn:aws:sns:us-east-1:100000000001:t" }, document, deps());
    const bodies = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Message!);
    const lines = bodies.join("\n").split("\n");
    expect(lines.some((l) => l.startsWith("Approve now"))).toBe(false);
    expect(lines.some((l) => l.includes("ops@example.com Approve now: https://evil.example/approve"))).toBe(true);
  });
});
