import type { IncomingWebhookSendArguments } from "@slack/webhook";
import { oneLine, unlinkUrls } from "../escape/plain-text.js";
import { slackText } from "../escape/slack.js";
import { sectionsOf, type ChannelFormat, type NoticeDocument, type NoticePart } from "./document.js";

type Block = NonNullable<IncomingWebhookSendArguments["blocks"]>[number];

/**
 * Slack's limits for messages with blocks: at most 50 blocks, a section's text at most 3,000
 * characters, a header's 150; and messages whose blocks carry more than about 13,000 characters in
 * all are refused (`msg_blocks_too_long`, research §3.3), so a message keeps to 11,000.
 */
export const slackLimits = { blocks: 50, sectionText: 3000, headerText: 150, totalText: 11_000 } as const;

function partLabel(part: NoticePart): string {
  return part.parts > 1 ? ` (${part.part}/${part.parts})` : "";
}

/** mrkdwn that Slack shows as written: no automatic links, channel names or mentions. */
const mrkdwn = (text: string) => ({ type: "mrkdwn" as const, text, verbatim: true });

/** Section blocks of at most 3,000 characters, the heading bold in the first. */
function sectionBlocks(heading: string, lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let text = `*${slackText(heading)}*`;
  for (const line of lines.map(slackText)) {
    if (text.length + 1 + line.length > slackLimits.sectionText) {
      blocks.push({ type: "section", text: mrkdwn(text) });
      text = line;
    } else text = `${text}\n${line}`;
  }
  blocks.push({ type: "section", text: mrkdwn(text) });
  return blocks;
}

export const slackFormat: ChannelFormat<IncomingWebhookSendArguments> = {
  render(document: NoticeDocument, part: NoticePart): IncomingWebhookSendArguments {
    // a document is plain text, tag values and all: every text is escaped here; the one markup is
    // the link patchline builds, Slack's <url|label>
    const title = unlinkUrls(oneLine(`${document.title}${partLabel(part)}`));
    const context = [...document.summary.map(slackText), ...(document.link ? [`<${document.link.url}|${slackText(document.link.label)}>`] : [])];
    const blocks: Block[] = [
      { type: "header", text: { type: "plain_text", text: title.length > slackLimits.headerText ? `${title.slice(0, slackLimits.headerText - 1)}…` : title } },
      ...(context.length > 0 ? [{ type: "context" as const, elements: context.map(mrkdwn) }] : []),
      ...sectionsOf(part.lines).flatMap((s) => sectionBlocks(s.heading, s.lines)),
    ];
    // the notification text shown where blocks are not (phone notifications, search) is mrkdwn too;
    // no previews of links in it
    return { text: slackText(`${document.title}${partLabel(part)}`), blocks, unfurl_links: false, unfurl_media: false };
  },
  fits(payload: IncomingWebhookSendArguments): boolean {
    const blocks = payload.blocks ?? [];
    const texts = blocks.flatMap((b) => {
      const block = b as { text?: { text?: string }; elements?: { text?: string }[] };
      return [block.text?.text ?? "", ...(block.elements ?? []).map((e) => e.text ?? "")];
    });
    const sectionsOk = blocks.every((b) => b.type !== "section" || ((b as { text?: { text: string } }).text?.text.length ?? 0) <= slackLimits.sectionText);
    return blocks.length <= slackLimits.blocks && sectionsOk && texts.reduce((n, t) => n + t.length, 0) <= slackLimits.totalText;
  },
};
