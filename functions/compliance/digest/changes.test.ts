import { describe, expect, it } from "vitest";
import type { RunTrend } from "../../../contracts/compliance-history.js";
import { adaptiveCardProblems, cardTexts } from "../../../test/support/adaptive-card.js";
import { exampleCatalog } from "../../../test/support/catalog.js";
import { sampleReport } from "../../../test/support/compliance-fixtures.js";
import type { Channel } from "../../shared/chat/deliver.js";
import { splitDocument, type NoticeDocument } from "../../shared/chat/document.js";
import { emailFormat } from "../../shared/chat/email-format.js";
import { slackFormat } from "../../shared/chat/slack-format.js";
import { teamsFormat } from "../../shared/chat/teams-format.js";
import { digestDocument, digestSections } from "./digest.js";
import { sendDigest } from "./send.js";

const report = sampleReport(10); // started 2027-01-11T07:00:00Z
const options = {
  instanceLimit: 200,
  reportLink: { label: "Open the report", url: "https://s3.console.aws.amazon.com/s3/object/patchline-reports?prefix=reports/r/report.html" },
  reportPath: "s3://patchline-reports/reports/r/report.html",
};
const standing = { compliancePercent: 96, managed: 650, nonCompliant: 20, unreachable: 1, notCovered: 3, targets: 3 };
const trend: RunTrend = {
  changes: [
    { environment: "dev", current: { compliancePercent: 95, managed: 120, nonCompliant: 5, unreachable: 0, notCovered: 1, targets: 1 } },
    {
      environment: "prod",
      current: standing,
      previous: {
        ...standing,
        compliancePercent: 93,
        nonCompliant: 31,
        unreachable: 0,
        runId: "20270108T070000Z-aaaaaaaa",
        startedAt: "2027-01-08T07:00:00.000Z",
      },
    },
  ],
  warnings: ["history not written to s3://patchline-patch-data/history/targets/x.json (AccessDenied: Access Denied): history_targets lacks this run"],
};
const lines = [
  "dev: 95% compliant · first run, nothing to compare",
  "prod: 96% compliant (+3 since 8 Jan) · 20 non-compliant (−11) · 1 unreachable (+1) · 3 not covered (±0)",
];

describe("the digest's change since the last run", () => {
  it("follows the totals, one line per environment", () => {
    const doc = digestDocument(report, { ...options, trend });
    const sections = [...new Set(doc.lines.map((l) => l.section))];
    expect(sections.slice(0, 2)).toEqual([digestSections.totals, digestSections.changes]);
    expect(doc.lines.filter((l) => l.section === digestSections.changes).map((l) => l.text)).toEqual(lines);
  });

  it("tells what the history could not keep among what was not checked", () => {
    const doc = digestDocument(report, { ...options, trend });
    expect(doc.lines.filter((l) => l.section === digestSections.warnings).map((l) => l.text)).toEqual(trend.warnings);
  });

  it("is left out when the run carries no trend (a run started before it existed)", () => {
    const doc = digestDocument(report, options);
    expect(doc.lines.some((l) => l.section === digestSections.changes)).toBe(false);
  });

  it("reads the same in Slack, Teams and e-mail", () => {
    const doc = digestDocument(report, { ...options, trend });
    const slack = splitDocument(doc, slackFormat)
      .flatMap((m) => m.blocks ?? [])
      .map((b) => (b as { text?: { text?: string } }).text?.text ?? "")
      .join("\n");
    expect(slack).toContain(`*${digestSections.changes}*\n${lines.join("\n")}`);
    const cards = splitDocument(doc, teamsFormat).map((m) => m.attachments[0].content);
    for (const card of cards) expect(adaptiveCardProblems(card)).toEqual([]);
    const texts = cards.flatMap((card) => cardTexts(card));
    for (const line of lines) expect(texts).toContain(line);
    const mail = splitDocument(doc, emailFormat)
      .map((m) => m.body)
      .join("\n");
    expect(mail).toContain(`${digestSections.changes}\n${"-".repeat(digestSections.changes.length)}\n${lines.join("\n")}\n`);
  });
});

describe("one channel of the digest, with the trend", () => {
  const task = {
    channel: { name: "security-slack", type: "slack", destination: "patchline/chat/security-slack" },
    report: {
      bucket: "reports",
      keys: { json: "reports/r1/report.json", html: "reports/r1/report.html" },
      consoleUrl: "https://console.aws.amazon.com/x",
      trend,
    },
  };
  const run = async (event: unknown) => {
    const delivered: NoticeDocument[] = [];
    await sendDigest(event, {
      catalog: async () => exampleCatalog,
      readReport: async () => report,
      deliver: async (channel: Channel, document) => {
        delivered.push(document);
        return { channel: channel.name, messages: 1 };
      },
      log: () => undefined,
    });
    return delivered[0]!;
  };

  it("takes each environment's change from the state machine, not from the report", async () => {
    const document = await run(task);
    expect(document.lines.filter((l) => l.section === digestSections.changes).map((l) => l.text)).toEqual(lines);
  });

  it("refuses a trend that is not one", async () => {
    await expect(run({ ...task, report: { ...task.report, trend: { changes: [{ environment: "prod" }], warnings: [] } } })).rejects.toThrow(
      /^report\.trend\.changes\.0\.current: expected object/,
    );
  });
});
