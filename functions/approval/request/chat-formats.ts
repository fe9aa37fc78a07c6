import type { IncomingWebhookSendArguments } from "@slack/webhook";
import type { ChatFormats } from "../../shared/chat/deliver.js";
import type { ChannelFormat, NoticeDocument, NoticePart } from "../../shared/chat/document.js";
import { slackFormat, slackLimits } from "../../shared/chat/slack-format.js";
import { teamsFormat } from "../../shared/chat/teams-format.js";
import { oneLine } from "../../shared/escape/plain-text.js";

type Block = NonNullable<IncomingWebhookSendArguments["blocks"]>[number];

/** Slack's limits of a link button: its label (plain text) and its URL. */
export const slackButtonLimits = { text: 75, url: 3000 } as const;

/** The button's action id; Slack reports it to the app's Request URL when interactivity is on. */
export const SLACK_BUTTON_ACTION_ID = "open-approval-page";

/**
 * A link button in an actions block. Its label is plain text (Slack parses no mrkdwn there); its
 * URL is the signed link patchline built, never text from a tag.
 */
function linkButton(link: NonNullable<NoticeDocument["link"]>): Block {
  const label = oneLine(link.label);
  if (link.url.length > slackButtonLimits.url) throw new Error(`a link of ${link.url.length} characters is longer than a Slack button's URL may be`);
  return {
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: SLACK_BUTTON_ACTION_ID,
        style: "primary",
        text: { type: "plain_text", text: label.length > slackButtonLimits.text ? `${label.slice(0, slackButtonLimits.text - 1)}…` : label },
        url: link.url,
      },
    ],
  };
}

/** Characters of every text a block carries (sections, context elements, button labels and URLs). */
function blockCharacters(block: Block): number {
  const b = block as { text?: { text?: string }; elements?: { text?: string | { text?: string }; url?: string }[] };
  const elements = (b.elements ?? []).map((e) => (typeof e.text === "string" ? e.text.length : (e.text?.text?.length ?? 0)) + (e.url?.length ?? 0));
  return (b.text?.text?.length ?? 0) + elements.reduce((n, c) => n + c, 0);
}

/**
 * The approval request in Slack: the digest's Block Kit (header, sections of escaped mrkdwn,
 * verbatim, no unfurling) with the link as a button under every part, instead of a `<url|label>`
 * in a context line. The same limits as the digest's: blocks, a section's text, the text in all.
 */
export const approvalSlackFormat: ChannelFormat<IncomingWebhookSendArguments> = {
  render(document: NoticeDocument, part: NoticePart): IncomingWebhookSendArguments {
    const { link, ...rest } = document;
    const base = slackFormat.render(rest, part);
    return link ? { ...base, blocks: [...(base.blocks ?? []), linkButton(link)] } : base;
  },
  fits(payload: IncomingWebhookSendArguments): boolean {
    const blocks = payload.blocks ?? [];
    const sections = blocks.filter((b) => b.type !== "actions");
    return (
      slackFormat.fits({ ...payload, blocks: sections }) &&
      blocks.length <= slackLimits.blocks &&
      blocks.reduce((n, b) => n + blockCharacters(b), 0) <= slackLimits.totalText
    );
  },
};

/**
 * Teams needs nothing of its own: the notices' Adaptive Card already shows every text as a
 * TextRun (no Markdown) and the document's link as its one Action.OpenUrl.
 */
export const approvalChatFormats: ChatFormats = { slack: approvalSlackFormat, teams: teamsFormat };
