import type { IAdaptiveCard, IOpenUrlAction, ITextBlock } from "adaptivecards/lib/schema";
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

const text = (value: string, extra: Partial<ITextBlock> = {}): ITextBlock => ({ type: "TextBlock", text: value, wrap: true, ...extra });

export const teamsFormat: ChannelFormat<TeamsMessage> = {
  render(document: NoticeDocument, part: NoticePart): TeamsMessage {
    const body: ITextBlock[] = [
      text(`${document.title}${part.parts > 1 ? ` (${part.part}/${part.parts})` : ""}`, { size: "large", weight: "bolder" }),
      ...document.summary.map((line) => text(line, { isSubtle: true, spacing: "none" })),
      ...sectionsOf(part.lines).flatMap((s) => [
        text(s.heading, { weight: "bolder", spacing: "medium" }),
        ...s.lines.map((line) => text(line, { spacing: "none" })),
      ]),
    ];
    const actions: IOpenUrlAction[] = document.link ? [{ type: "Action.OpenUrl", id: "open-link", title: document.link.label, url: document.link.url }] : [];
    const card: IAdaptiveCard = { type: "AdaptiveCard", version: teamsLimits.cardVersion, body, ...(actions.length > 0 ? { actions } : {}) };
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
