import { createRequire } from "node:module";
import Ajv from "ajv";

/**
 * Microsoft's Adaptive Cards SDK (the npm package `adaptivecards`) parses a card the way clients do
 * and reports every element type and property value it does not accept. No npm package ships the
 * published JSON schema, so the card is checked by the reference parser and the Workflows message
 * envelope (documented shape) by a JSON schema.
 */
// the package's ESM build imports extensionless paths; its UMD bundle loads in Node
const AdaptiveCards = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { event: number; message: string } };
  ValidationEvent: Record<number, string>;
};

export function adaptiveCardProblems(card: unknown): string[] {
  const context = new AdaptiveCards.SerializationContext();
  new AdaptiveCards.AdaptiveCard().parse(card, context);
  return Array.from({ length: context.eventCount }, (_, i) => {
    const e = context.getEventAt(i);
    return `${AdaptiveCards.ValidationEvent[e.event]}: ${e.message}`;
  });
}

const envelopeSchema = {
  type: "object",
  required: ["type", "attachments"],
  additionalProperties: false,
  properties: {
    type: { const: "message" },
    attachments: {
      type: "array",
      minItems: 1,
      maxItems: 1,
      items: {
        type: "object",
        required: ["contentType", "content"],
        additionalProperties: false,
        properties: {
          contentType: { const: "application/vnd.microsoft.card.adaptive" },
          contentUrl: { type: "null" },
          content: {
            type: "object",
            required: ["type", "version", "body"],
            properties: { type: { const: "AdaptiveCard" }, version: { type: "string", pattern: "^1\\.[0-6]$" }, body: { type: "array", minItems: 1 } },
          },
        },
      },
    },
  },
} as const;

const validateEnvelope = new Ajv({ allErrors: true, strict: true }).compile(envelopeSchema);

export function teamsEnvelopeProblems(message: unknown): string[] {
  return validateEnvelope(message) ? [] : (validateEnvelope.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

interface CardElement {
  readonly type: string;
  readonly text?: string;
  readonly inlines?: readonly (string | { readonly type: string; readonly text: string })[];
}

/** The texts a card shows, in order: each TextBlock's (Markdown) and each RichTextBlock's runs (plain text). */
export function cardTexts(card: { readonly body?: readonly unknown[] }): string[] {
  return ((card.body ?? []) as CardElement[]).flatMap((element) => {
    if (element.type === "TextBlock") return [element.text ?? ""];
    if (element.type === "RichTextBlock") return [(element.inlines ?? []).map((run) => (typeof run === "string" ? run : run.text)).join("")];
    return [];
  });
}

/** The texts of a card that clients read as Markdown: TextBlocks' (a TextRun's text is not Markdown). */
export function cardMarkdownTexts(card: { readonly body?: readonly unknown[] }): string[] {
  return ((card.body ?? []) as CardElement[]).filter((element) => element.type === "TextBlock").map((element) => element.text ?? "");
}
