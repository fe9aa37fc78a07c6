import { SNSClient } from "@aws-sdk/client-sns";
import { afterEach, describe, expect, it } from "vitest";
import { APPROVAL_CHAT_MESSAGES_PER_CHANNEL } from "../../../contracts/approval-channels.js";
import { approvalRecord } from "../../../test/support/approval-fakes.js";
import { startWebhookServer, type WebhookServer } from "../../../test/support/webhook-server.js";
import type { Channel } from "../../shared/chat/deliver.js";
import { splitDocument, type NoticeDocument } from "../../shared/chat/document.js";
import { requestChatDocument } from "./chat-document.js";
import { approvalChatFormats } from "./chat-formats.js";
import { approvalPost } from "./chat.js";

/**
 * The request function's timeout allows one message per channel (contracts/approval-channels.ts).
 * An approval request's content is bounded: tag values of at most 256 characters (EC2), an owner
 * tag key of at most 128, names and numbers from config. These fill every bound with the
 * characters each format grows most (Slack's `&amp;`, Teams' four-byte UTF-8 and JSON escapes).
 */
const TAG_VALUE = 256;
const TAG_KEY = 128;
const fill = (unit: string, characters: number) => [...unit.repeat(characters)].slice(0, characters).join("");

const hostile: Record<string, { value: string; key: string }> = {
  "entities (Slack: & is 5 characters)": { value: fill("&", TAG_VALUE), key: fill("_", TAG_KEY) },
  "markup and mentions": { value: fill("<!channel> @here *x* ", TAG_VALUE), key: fill("@", TAG_KEY) },
  "four-byte characters (Teams: UTF-8)": { value: fill("\u{1F600}", TAG_VALUE), key: fill("\u{10400}", TAG_KEY) },
  "JSON escapes and line breaks": { value: fill('"\\\n\u2028', TAG_VALUE), key: fill("=", TAG_KEY) },
  "bare URLs (unlinked with word joiners)": { value: fill("http:", TAG_VALUE), key: fill("/", TAG_KEY) },
};

/** The longest every other field can be: a 16-character environment, the longest counts and timeouts, a link on a 253-character domain. */
function longest(value: string, key: string, reminder: number): NoticeDocument {
  const count = Number.MAX_SAFE_INTEGER;
  const record = approvalRecord({
    environment: "e".repeat(16),
    region: "ap-southeast-10",
    instanceId: "i-0123456789abcdef0",
    instanceName: value,
    owner: value,
    patchState: {
      missingCount: count,
      failedCount: count,
      installedPendingRebootCount: count,
      criticalNonCompliantCount: count,
      securityNonCompliantCount: count,
      otherNonCompliantCount: count,
      baselineId: "pb-0123456789abcdef0",
    },
    plan: {
      backupBeforePatch: true,
      backupTimeoutMinutes: 1440,
      rebootOption: "RebootIfNeeded",
      patchTimeoutMinutes: 1440,
      onNoResponse: "approve",
      reminderCount: 10,
      reminderIntervalHours: 168,
    },
  });
  const host = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.example`.slice(0, 253);
  const link = `https://${host}/approvals/Yq3Yw8n1Zq5d0xJ2r6u9Aw?e=1804196400&s=${"S".repeat(43)}`;
  return requestChatDocument(record, { link, linkExpiresAt: "2027-03-06T21:40:00.000Z", reminder, ownerTagKey: key });
}

describe("an approval request or reminder fits one message per channel, whatever the tags hold", () => {
  it.each(Object.entries(hostile))("%s", (_what, { value, key }) => {
    for (const reminder of [0, 10]) {
      const document = longest(value, key, reminder);
      expect(splitDocument(document, approvalChatFormats.slack), `Slack, reminder ${reminder}`).toHaveLength(APPROVAL_CHAT_MESSAGES_PER_CHANNEL);
      expect(splitDocument(document, approvalChatFormats.teams), `Teams, reminder ${reminder}`).toHaveLength(APPROVAL_CHAT_MESSAGES_PER_CHANNEL);
    }
  });
});

describe("a document that would need more messages", () => {
  let server: WebhookServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each<Channel["type"]>(["slack", "teams"])("is refused for %s before anything is sent", async (type) => {
    server = await startWebhookServer([], { status: type === "teams" ? 202 : 200 });
    const post = approvalPost({ sns: new SNSClient({ region: "us-east-1" }), webhookUrl: async () => server!.url, fetch });
    const base = longest("web-1", "Owner", 0);
    const long: NoticeDocument = { ...base, lines: Array.from({ length: 400 }, (_, i) => ({ section: "Request", text: `line ${i} ${"x".repeat(200)}` })) };
    await expect(post({ name: "approvals", type, destination: "patchline/chat/approvals" }, long)).rejects.toMatchObject({
      name: "TooManyMessages",
      message: expect.stringMatching(/^approvals: the document needs \d+ messages, at most 1 allowed; nothing sent$/),
    });
    expect(server.requests).toEqual([]);
    // the request itself goes out as one message
    await expect(post({ name: "approvals", type, destination: "patchline/chat/approvals" }, base)).resolves.toEqual({ channel: "approvals", messages: 1 });
    expect(server.requests).toHaveLength(1);
  });
});
