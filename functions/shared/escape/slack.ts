import { oneLine, unlinkUrls } from "./plain-text.js";

/**
 * Slack mrkdwn's markers, each replaced by a look-alike that Slack does not parse: mrkdwn has no
 * escape for them (only &, < and > have entities), and a tag value such as `*URGENT*` or
 * `~ok~` would otherwise restyle patchline's message. Look-alikes keep the value readable. Slack
 * takes `*`, `_` and `~` as markers only at a word's edge, so those inside a word (names such as
 * `web_prod`) are left alone; a backtick is replaced wherever it is.
 */
const MARKERS: Readonly<Record<string, string>> = {
  "*": "\u2217", // ∗ asterisk operator
  _: "\u02cd", // ˍ modifier letter low macron
  "~": "\u223c", // ∼ tilde operator
  "`": "\u02cb", // ˋ modifier letter grave accent
};

/**
 * One line of text as Slack mrkdwn that shows exactly that text: &, < and > as entities (so no
 * `<https://…|label>` link, `<!channel>` or `<@U…>` mention can form), formatting markers as
 * look-alikes, and a word joiner after the @ of @here, @channel and @everyone, which Slack would
 * otherwise parse as mentions where automatic parsing is on, and bare URLs unlinked. Text objects
 * carrying it are also sent with `verbatim: true`, so Slack does not link URLs or channel names.
 */
export function slackText(text: string): string {
  return (
    unlinkUrls(oneLine(text))
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      // a marker inside a word (web_prod, a*b) opens and closes nothing in Slack, so it stays as written
      .replace(/`|(?<![\p{L}\p{N}])[*_~]|[*_~](?![\p{L}\p{N}])/gu, (c) => MARKERS[c]!)
      // a mention, not the @ inside an address such as ops@here.example
      .replace(/(?<![\w.+-])@(?=(?:here|channel|everyone)\b)/gi, "@\u2060")
  );
}
