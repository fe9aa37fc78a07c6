import { SNSClient } from "@aws-sdk/client-sns";
import type { IncomingWebhookSendArguments } from "@slack/webhook";
import { afterEach, describe, expect, it } from "vitest";
import { adaptiveCardProblems, cardMarkdownTexts, cardTexts, teamsEnvelopeProblems } from "../../../test/support/adaptive-card.js";
import { approvalRecord, recordingLog } from "../../../test/support/approval-fakes.js";
import { startWebhookServer, type ScriptedResponse, type WebhookServer } from "../../../test/support/webhook-server.js";
import type { Channel, DeliveryDeps } from "../../shared/chat/deliver.js";
import { splitDocument, type NoticeDocument } from "../../shared/chat/document.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import { slackLimits } from "../../shared/chat/slack-format.js";
import type { TeamsMessage } from "../../shared/chat/teams-format.js";
import { CHAT_LINK_LABEL, requestChatDocument } from "./chat-document.js";
import { approvalSlackFormat, SLACK_BUTTON_ACTION_ID } from "./chat-formats.js";
import { approvalChannels, approvalPost, postToChannels, withoutSignature } from "./chat.js";

const SIGNATURE = "q6cF1o0Hq3VvR3c2b1a0ZyXwVuTsRqPoNmLkJiHgFeD";
const link = `https://abc123.execute-api.us-east-1.amazonaws.com/approvals/Yq3Yw8n1Zq5d0xJ2r6u9Aw?e=1804196400&s=${SIGNATURE}`;
const options = { link, linkExpiresAt: "2027-03-06T21:40:00.000Z", reminder: 0, ownerTagKey: "Owner" };
const slack: Channel = { name: "approvals-slack", type: "slack", destination: "patchline/chat/approvals-slack" };
const teams: Channel = { name: "approvals-teams", type: "teams", destination: "patchline/chat/approvals-teams" };

let servers: WebhookServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function serve(script: readonly ScriptedResponse[] = [], fallback?: ScriptedResponse): Promise<WebhookServer> {
  const server = await startWebhookServer(script, fallback);
  servers.push(server);
  return server;
}

const pauses: number[] = [];
/** The digest's delivery with the approval formats; pauses recorded instead of slept. */
function post(url: (secretId: string) => string) {
  const deps: DeliveryDeps = {
    sns: new SNSClient({ region: "us-east-1" }),
    webhookUrl: async (secretId) => url(secretId),
    fetch: retryingFetch(fetch, { sleep: async (ms) => void pauses.push(ms), random: () => 0.5 }),
  };
  return approvalPost(deps);
}

type SlackBlock = { type: string; text?: { type: string; text: string; verbatim?: boolean }; elements?: Record<string, unknown>[] };
const slackPayloads = (server: WebhookServer) => server.requests.map((r) => JSON.parse(r.body) as IncomingWebhookSendArguments);
const blocksOf = (payload: IncomingWebhookSendArguments) => payload.blocks as SlackBlock[];
const cardsOf = (server: WebhookServer) => server.requests.map((r) => JSON.parse(r.body) as TeamsMessage);

describe("the approval request in Slack (Block Kit)", () => {
  it("is a header, a section of facts, sections of what approving does and how to decide, and a button whose URL is the signed link", async () => {
    const server = await serve();
    await post(() => server.url)(slack, requestChatDocument(approvalRecord(), options));
    const [payload, ...more] = slackPayloads(server);
    expect(more).toEqual([]);
    const blocks = blocksOf(payload!);
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "actions"]);
    expect(blocks[0]!.text).toEqual({ type: "plain_text", text: "Approve patching of web-1 (i-0abc123def4567890) in prod" });
    expect(blocks[1]!.text).toEqual({
      type: "mrkdwn",
      verbatim: true,
      text: [
        "*Request*",
        "Instance: web-1 (i-0abc123def4567890)",
        "Account: 400000000002, region eu-west-1",
        "Environment: prod",
        "Patches: 4 missing (1 critical, 3 security, 0 other non-compliant), 0 failed, 0 installed pending reboot",
        "Owner (tag Owner): alice@example.com",
        "Deadline: 2027-03-07 21:40 UTC",
      ].join("\n"),
    });
    expect(blocks[3]!.text!.text).toContain("If nobody decides by 2027-03-07 21:40 UTC, the request is escalated and rejected");
    expect(blocks[4]!.elements).toEqual([
      { type: "button", action_id: SLACK_BUTTON_ACTION_ID, style: "primary", text: { type: "plain_text", text: CHAT_LINK_LABEL }, url: link },
    ]);
    expect(payload).toMatchObject({ unfurl_links: false, unfurl_media: false, text: "Approve patching of web-1 (i-0abc123def4567890) in prod" });
    // the link is in the button only: no mrkdwn link a client would unfurl or a reader would copy from the text
    expect(JSON.stringify(blocks.slice(0, 4))).not.toContain(SIGNATURE);
  });

  it("says in a reminder which reminder it is, since when nobody decided, and the deadline", () => {
    const [payload] = splitDocument(requestChatDocument(approvalRecord(), { ...options, reminder: 2 }), approvalSlackFormat);
    const texts = blocksOf(payload!).map((b) => b.text?.text ?? "");
    expect(texts[0]).toBe("Reminder 2 of 3: approve patching of web-1 (i-0abc123def4567890) in prod");
    expect(texts[1]).toContain("Reminder 2 of 3, requested 2027-03-03 21:40 UTC; nobody has decided yet");
    expect(texts[1]).toContain("Deadline: 2027-03-07 21:40 UTC");
  });

  it("splits a document beyond Slack's limits as the digest does, with the button under every part", () => {
    const long: NoticeDocument = {
      ...requestChatDocument(approvalRecord(), options),
      lines: Array.from({ length: 200 }, (_, i) => ({ section: "Request", text: `line ${i} ${"x".repeat(80)}` })),
    };
    const payloads = splitDocument(long, approvalSlackFormat);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) {
      expect(approvalSlackFormat.fits(payload)).toBe(true);
      expect(blocksOf(payload).at(-1)!.elements![0]).toMatchObject({ type: "button", url: link });
    }
    expect(payloads.map((p) => blocksOf(p)[0]!.text!.text)).toEqual(payloads.map((_, i) => expect.stringContaining(`(${i + 1}/${payloads.length})`)));
    const shown = payloads.flatMap((p) => blocksOf(p).flatMap((b) => (b.type === "section" ? b.text!.text.split("\n") : [])));
    expect(shown.filter((l) => l.startsWith("line "))).toHaveLength(200);
  });

  it("counts the button against the limit on a message's text", () => {
    const [payload] = splitDocument(requestChatDocument(approvalRecord(), options), approvalSlackFormat);
    const withoutButton = { ...payload!, blocks: blocksOf(payload!).slice(0, -1) } as IncomingWebhookSendArguments;
    const sectionText = blocksOf(payload!)
      .slice(0, -1)
      .reduce((n, b) => n + (b.text?.text.length ?? 0), 0);
    // sections of at most 3,000 characters that bring the text to 10 characters below the limit
    const room = slackLimits.totalText - sectionText - 10;
    const filler = Array.from({ length: Math.ceil(room / slackLimits.sectionText) }, (_, i) => ({
      type: "section",
      text: { type: "mrkdwn", text: "x".repeat(Math.min(slackLimits.sectionText, room - i * slackLimits.sectionText)), verbatim: true },
    }));
    expect(approvalSlackFormat.fits({ ...withoutButton, blocks: [...blocksOf(withoutButton), ...filler] } as IncomingWebhookSendArguments)).toBe(true);
    expect(approvalSlackFormat.fits({ ...payload!, blocks: [...blocksOf(payload!), ...filler] } as IncomingWebhookSendArguments)).toBe(false);
  });
});

describe("the approval request in Teams (Adaptive Card)", () => {
  it("passes the card schema and the Workflows envelope, shows the facts as TextRuns, and opens the signed link with its one action", async () => {
    const server = await serve([], { status: 202 });
    await post(() => server.url)(teams, requestChatDocument(approvalRecord(), { ...options, reminder: 1 }));
    const [message, ...more] = cardsOf(server);
    expect(more).toEqual([]);
    expect(teamsEnvelopeProblems(message)).toEqual([]);
    const card = message!.attachments[0].content;
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(cardMarkdownTexts(card)).toEqual([]);
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", id: "open-link", title: CHAT_LINK_LABEL, url: link }]);
    const texts = cardTexts(card);
    expect(texts[0]).toBe("Reminder 1 of 3: approve patching of web-1 (i-0abc123def4567890) in prod");
    expect(texts).toEqual(
      expect.arrayContaining([
        "Instance: web-1 (i-0abc123def4567890)",
        "Account: 400000000002, region eu-west-1",
        "Environment: prod",
        "Patches: 4 missing (1 critical, 3 security, 0 other non-compliant), 0 failed, 0 installed pending reboot",
        "Deadline: 2027-03-07 21:40 UTC",
        "Reminder 1 of 3, requested 2027-03-03 21:40 UTC; nobody has decided yet",
      ]),
    );
    expect(texts.join("\n")).not.toContain(SIGNATURE);
  });
});

describe("hostile tag values in an approval request", () => {
  const hostile = approvalRecord({
    instanceName: "[Approve here](https://evil.example) <https://evil.example|click> <!channel> @here *URGENT* <img src=x onerror=alert(1)>",
    owner: "ops@example.com\nReview and decide: https://evil.example/decide",
  });
  const EVIL = /https?:\/\/evil\.example/;

  it("reach Slack as text: no link, mention or formatting of theirs; the one link is patchline's button", async () => {
    const server = await serve();
    await post(() => server.url)(slack, requestChatDocument(hostile, options));
    const payloads = slackPayloads(server);
    const blocks = payloads.flatMap(blocksOf);
    const mrkdwn = blocks.flatMap((b) => (b.text?.type === "mrkdwn" ? [b.text] : []));
    expect(mrkdwn.every((t) => t.verbatim === true)).toBe(true);
    // Slack's markup starts with <: none is left in any mrkdwn text (the header is plain text, which Slack does not parse)
    const all = [...payloads.map((p) => p.text!), ...mrkdwn.map((t) => t.text)].join("\n");
    expect(all.match(/<[^&]/g) ?? []).toEqual([]);
    expect(blocks[0]!.text).toMatchObject({ type: "plain_text" });
    expect(blocks[0]!.text!.text).not.toMatch(EVIL);
    expect(all).not.toMatch(EVIL);
    expect(all).not.toMatch(/(^|\s)@here\b/);
    expect(all).not.toContain("*URGENT*");
    expect(all).toContain("&lt;!channel&gt;");
    expect(all).not.toMatch(/\nReview and decide:/);
    expect(blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements!.map((e) => e.url))).toEqual([link]);
  });

  it("reach Teams as TextRuns: no Markdown, no link of theirs, no forged line; the one action is the signed link", async () => {
    const server = await serve([], { status: 202 });
    await post(() => server.url)(teams, requestChatDocument(hostile, options));
    const card = cardsOf(server)[0]!.attachments[0].content;
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(cardMarkdownTexts(card)).toEqual([]);
    const shown = cardTexts(card);
    expect(shown.join("\n")).not.toMatch(EVIL);
    expect(shown.some((t) => t.startsWith("Review and decide:"))).toBe(false);
    expect(shown).toContain("Owner (tag Owner): ops@example.com Review and decide: https:\u2060//evil.example/decide");
    expect(card.actions).toEqual([expect.objectContaining({ type: "Action.OpenUrl", url: link })]);
  });
});

describe("delivery with the digest's retry rules", () => {
  it.each([
    [
      "Slack",
      slack,
      [
        { status: 429, headers: { "Retry-After": "3" }, body: "rate_limited" },
        { status: 503, body: "unavailable" },
      ],
      undefined,
    ],
    ["Teams", teams, [{ status: 429, headers: { "Retry-After": "3" } }, { status: 502 }], { status: 202 }],
  ])("%s: waits Retry-After after a 429, backs off after a 5xx, and posts the same message until it is taken", async (_, channel, script, fallback) => {
    pauses.length = 0;
    const server = await serve(script as ScriptedResponse[], fallback as ScriptedResponse | undefined);
    await expect(post(() => server.url)(channel, requestChatDocument(approvalRecord(), options))).resolves.toEqual({ channel: channel.name, messages: 1 });
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    // Retry-After's 3 s; then, without Retry-After, the second attempt's backoff: 2 s × jitter 0.5
    expect(pauses).toEqual([3000, 1000]);
  });

  it("gives up after five attempts and says which channel answered what", async () => {
    const server = await serve([], { status: 500, body: "down" });
    await expect(post(() => server.url)(teams, requestChatDocument(approvalRecord(), options))).rejects.toThrow(
      "Teams channel approvals-teams: HTTP 500: down",
    );
    expect(server.requests).toHaveLength(5);
  });
});

describe("posting to an environment's channels", () => {
  it("posts to every channel, and a channel that fails is a warning without the link's signature, not an error", async () => {
    const good = await serve();
    const echoing = await serve([], { status: 400, body: `invalid_blocks: ${link}` });
    const log = recordingLog();
    const urls: Record<string, string> = { [slack.destination]: good.url, [teams.destination]: echoing.url };
    const result = await postToChannels(
      { channelsOf: (environment) => (environment === "prod" ? [slack, teams] : []), post: post((id) => urls[id]!) },
      { approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", environment: "prod", reminder: 0, signature: SIGNATURE },
      requestChatDocument(approvalRecord(), options),
      log,
    );
    expect(result).toEqual({ posted: ["approvals-slack"], failed: ["approvals-teams"] });
    expect(good.requests).toHaveLength(1);
    expect(log.lines).toEqual([
      [
        "approval not posted to chat channel",
        {
          approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
          reminder: 0,
          channel: "approvals-teams",
          channelType: "teams",
          error: expect.stringContaining("ChannelDeliveryFailed: Teams channel approvals-teams: HTTP 400: invalid_blocks: https://"),
        },
      ],
    ]);
    expect(JSON.stringify(log.lines)).not.toContain(SIGNATURE);
    expect(JSON.stringify(log.lines)).toContain("s=<signature>");
  });

  it("posts nothing for an environment without channels", async () => {
    const result = await postToChannels(
      { channelsOf: () => [], post: () => Promise.reject(new Error("not called")) },
      { approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", environment: "dev", reminder: 0, signature: SIGNATURE },
      requestChatDocument(approvalRecord(), options),
      recordingLog(),
    );
    expect(result).toEqual({ posted: [], failed: [] });
  });

  it("removes every occurrence of the signature from a text", () => {
    expect(withoutSignature(`a ${SIGNATURE} b ${SIGNATURE}`, SIGNATURE)).toBe("a <signature> b <signature>");
  });
});

describe("APPROVAL_CHANNELS", () => {
  it("gives each environment its channels with their secrets; none when unset or for an environment it does not list", () => {
    const channelsOf = approvalChannels(
      JSON.stringify({
        channels: {
          "approvals-slack": { type: "slack", secretId: "patchline/chat/approvals-slack" },
          "ops-teams": { type: "teams", secretId: "patchline/chat/ops-teams" },
        },
        environments: { prod: ["approvals-slack", "ops-teams"], preprod: ["ops-teams"] },
      }),
    );
    expect(channelsOf("prod")).toEqual([
      { name: "approvals-slack", type: "slack", destination: "patchline/chat/approvals-slack" },
      { name: "ops-teams", type: "teams", destination: "patchline/chat/ops-teams" },
    ]);
    expect(channelsOf("preprod")).toEqual([{ name: "ops-teams", type: "teams", destination: "patchline/chat/ops-teams" }]);
    expect(channelsOf("dev")).toEqual([]);
    expect(approvalChannels(undefined)("prod")).toEqual([]);
  });

  it("fails at cold start on a variable the stack did not write: an e-mail channel, or a channel it does not define", () => {
    expect(() => approvalChannels(JSON.stringify({ channels: { m: { type: "email", secretId: "x" } }, environments: {} }))).toThrow();
    expect(() => approvalChannels(JSON.stringify({ channels: {}, environments: { prod: ["missing"] } }))).toThrow(
      "APPROVAL_CHANNELS: prod names channel missing, which it does not define",
    );
  });
});
