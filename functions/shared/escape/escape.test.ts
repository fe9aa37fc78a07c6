import { describe, expect, it } from "vitest";
import { escapeHtml } from "./html.js";
import { oneLine, unlinkUrls } from "./plain-text.js";
import { slackText } from "./slack.js";
import { teamsText } from "./teams.js";

const WJ = "\u2060";

describe("text from member accounts", () => {
  it("is one line in plain text: line breaks, controls and bidi overrides become spaces", () => {
    expect(oneLine("web-1\r\nApprove now: https://evil.example")).toBe("web-1 Approve now: https://evil.example");
    expect(oneLine("a\u0085b\u2028c\u2029d\u0000e\u001bf")).toBe("a b c d e f");
    expect(oneLine("invoice\u202Egpj.exe")).toBe("invoice gpj.exe");
    expect(oneLine("web-1 · prod_eu ✓")).toBe("web-1 · prod_eu ✓");
  });

  it("shows bare URLs without letting a client link them", () => {
    expect(unlinkUrls("sign in at https://evil.example or www.evil.example")).toBe(`sign in at https:${WJ}//evil.example or www${WJ}.evil.example`);
    expect(unlinkUrls("s3://patchline-reports/reports/r/report.html")).toBe("s3://patchline-reports/reports/r/report.html");
  });

  it("is HTML-escaped for mail bodies and pages", () => {
    expect(escapeHtml(`<img src=x onerror="alert(1)">&'`)).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;");
  });

  it("shows as written in Slack mrkdwn: no link, mention or formatting forms", () => {
    expect(slackText("<https://evil.example|click> <!channel> <@U123>")).toBe(`&lt;https:${WJ}//evil.example|click&gt; &lt;!channel&gt; &lt;@U123&gt;`);
    expect(slackText("@here and @channel, @everyone; not alice@here.example")).toBe(`@${WJ}here and @${WJ}channel, @${WJ}everyone; not alice@here.example`);
    expect(slackText("*bold* _it_ ~strike~ `code`")).toBe("\u2217bold\u2217 \u02cdit\u02cd \u223cstrike\u223c \u02cbcode\u02cb");
    // inside a word a marker formats nothing: names keep their underscores
    expect(slackText("web_prod_eu a*b x~y")).toBe("web_prod_eu a*b x~y");
    expect(slackText("_web_prod_ *a*b* x`y")).toBe("\u02cdweb_prod\u02cd \u2217a*b\u2217 x\u02cby");
    expect(slackText("A & B\nforged")).toBe("A &amp; B forged");
  });

  it("is a TextRun's plain text for Teams: Markdown stays literal, bare URLs are not linked", () => {
    expect(teamsText("[Patch failed – sign in](https://evil.example)\n**x**")).toBe(`[Patch failed – sign in](https:${WJ}//evil.example) **x**`);
  });
});
