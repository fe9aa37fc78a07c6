import type { IAdaptiveCard, ICardElement, IOpenUrlAction } from "adaptivecards/lib/schema";
import { teamsText } from "../escape/teams.js";
import { sectionsOf, type ChannelFormat, type NoticeDocument, type NoticePart } from "./document.js";

/** What a Teams Workflows ("When a Teams webhook request is received") webhook takes: a message with an Adaptive Card. */
export interface TeamsMessage {
  readonly type: "message";
  readonly attachments: readonly [
    { readonly contentType: "application/vnd.microsoft.card.adaptive"; readonly contentUrl: null; readonly content: IAdaptiveCard },
  ];
}

/**
 * Teams refuses messages above 28 KB (research §3.3) and practitioners see failures from about
 * 21 KB, so a message keeps to 20,000 bytes of JSON. Cards are version 1.4, which every Teams
 * client renders.
 */
export const teamsLimits = { payloadBytes: 20_000, cardVersion: "1.4" } as const;

/** Adaptive Cards 1.2+ elements the SDK's schema types lack. */
interface TextRun {
  readonly type: "TextRun";
  readonly text: string;
  readonly size?: "large";
  readonly weight?: "bolder";
  readonly isSubtle?: boolean;
}
interface RichTextBlock extends ICardElement {
  readonly type: "RichTextBlock";
  readonly inlines: readonly TextRun[];
}

/**
 * One line as a RichTextBlock of one TextRun: TextRun text is not Markdown, so a document's plain
 * text (tag values among it) shows as written, never as links or formatting; a TextBlock would
 * render `[label](url)` in a tag value as a link.
 */
const text = (value: string, run: Omit<TextRun, "type" | "text"> = {}, spacing?: "none" | "medium"): RichTextBlock => ({
  type: "RichTextBlock",
  inlines: [{ type: "TextRun", text: teamsText(value), ...run }],
  ...(spacing ? { spacing } : {}),
});

export const teamsFormat: ChannelFormat<TeamsMessage> = {
  render(document: NoticeDocument, part: NoticePart): TeamsMessage {
    const body: RichTextBlock[] = [
      text(`${document.title}${part.parts > 1 ? ` (${part.part}/${part.parts})` : ""}`, { size: "large", weight: "bolder" }),
      ...document.summary.map((line) => text(line, { isSubtle: true }, "none")),
      ...sectionsOf(part.lines).flatMap((s) => [text(s.heading, { weight: "bolder" }, "medium"), ...s.lines.map((line) => text(line, {}, "none"))]),
    ];
    const actions: IOpenUrlAction[] = document.link ? [{ type: "Action.OpenUrl", id: "open-link", title: document.link.label, url: document.link.url }] : [];
    const card: IAdaptiveCard = {
      type: "AdaptiveCard",
      version: teamsLimits.cardVersion,
      // the SDK's schema types know no RichTextBlock (Adaptive Cards 1.2, Teams renders it)
      body: body as unknown as IAdaptiveCard["body"],
      ...(actions.length > 0 ? { actions } : {}),
    };
    return {
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", ...card } as IAdaptiveCard,
        },
      ],
    };
  },
  fits(payload: TeamsMessage): boolean {
    return Buffer.byteLength(JSON.stringify(payload), "utf8") <= teamsLimits.payloadBytes;
  },
};
