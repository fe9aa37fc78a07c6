import { oneLine, unlinkUrls } from "./plain-text.js";

/**
 * One line of text for an Adaptive Card `TextRun`. TextRun text is not Markdown (Adaptive Cards
 * schema, TextRun.text: "Markdown is not supported"), so `[label](url)`, `**bold**` or `# …` stay
 * literal without escaping; backslash escapes in a TextBlock would not do, as Teams' mobile
 * clients show the backslashes. What a client may still do to plain text is link a bare URL,
 * which `unlinkUrls` prevents.
 */
export function teamsText(text: string): string {
  return unlinkUrls(oneLine(text));
}
