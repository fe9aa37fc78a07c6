import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../test/support/browser.js";
import { findingsFor, okResult, sampleReport, targetOf } from "../../../test/support/compliance-fixtures.js";
import { zeroCounts } from "../../../contracts/compliance-model.js";
import { chartColors, chartLayout } from "./chart.js";
import { HTML_WORST_ROWS, reportHtml } from "./html.js";
import { buildReport } from "../shared/report.js";

/** The sample run plus an account no region of which could be read. */
function report() {
  const base = sampleReport(12);
  const data = targetOf("prod", "400000000003", "data-prod", "us-east-1");
  const unreachable = {
    target: data,
    status: "unreachable" as const,
    reason: "throttled beyond retries",
    collectedAt: "x",
    counts: zeroCounts,
    findings: [],
    warnings: [],
  };
  const preprod = targetOf("preprod", "300000000002", "web-preprod", "us-east-1");
  const results = [
    ...base.environments.flatMap((e) =>
      e.accounts.flatMap((a) =>
        a.regions.map((r) => {
          const target = targetOf(e.name, a.accountId, a.accountName, r.region);
          return r.status === "ok"
            ? okResult(
                target,
                base.findings.filter((f) => f.accountId === a.accountId && f.region === r.region),
                r.counts.managed,
              )
            : { ...unreachable, target, reason: r.reason! };
        }),
      ),
    ),
    okResult(preprod, findingsFor(preprod, 30), 60),
    unreachable,
  ];
  return buildReport({ runId: base.runId, startedAt: base.startedAt, generatedAt: base.generatedAt, warnings: [] }, results, ["dev", "preprod", "prod"]);
}

describe("the HTML report in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on("request", (r) => requests.push(r.url()));
    await page.setContent(reportHtml(report(), { csv: "s3://b/findings.csv", json: "s3://b/report.json" }), { waitUntil: "load" });
  }, 60_000);
  afterAll(async () => browser?.close());

  const bar = (account: string, kind: string) => page.locator(`svg rect[data-account="${account}"][data-kind="${kind}"]`);

  it("draws one bar per environment and per account, in promotion order", async () => {
    const rows = await page
      .locator("svg rect[data-kind]")
      .evaluateAll((rects) => [
        ...new Set(rects.map((r) => `${r.getAttribute("data-row")}:${r.getAttribute("data-environment")}:${r.getAttribute("data-account") ?? ""}`)),
      ]);
    expect(rows).toEqual([
      "environment:dev:",
      "account:dev:200000000001",
      "environment:preprod:",
      "account:preprod:300000000002",
      "environment:prod:",
      "account:prod:400000000002",
      "account:prod:400000000001",
      "account:prod:400000000003",
    ]);
  });

  it("sizes the green part by the share of compliant instances", async () => {
    // web-prod: 12 non-compliant of 400 managed → 388/400 of the bar is green
    const compliant = Math.round((chartLayout.barWidth * 388) / 400);
    expect(await bar("400000000002", "compliant").getAttribute("width")).toBe(String(compliant));
    expect(await bar("400000000002", "non-compliant").getAttribute("width")).toBe(String(chartLayout.barWidth - compliant));
    expect(await bar("400000000002", "compliant").getAttribute("fill")).toBe(chartColors.compliant);
    // web-preprod: 30 of 60 non-compliant → half and half
    expect(await bar("300000000002", "compliant").getAttribute("width")).toBe(String(chartLayout.barWidth / 2));
    const box = await bar("400000000002", "compliant").boundingBox();
    expect(box!.width).toBeCloseTo(compliant, 0);
  });

  it("labels bars with the account and its compliance, and greys out an account that could not be read", async () => {
    const labels = await page.locator("svg text").allTextContents();
    expect(labels).toContain("web-prod (400000000002)");
    expect(labels).toContain("97% compliant (388 of 400)");
    expect(labels).toContain("95% compliant (238 of 250), 1 of 2 regions unreachable");
    expect(labels).toContain("unreachable");
    expect(await bar("400000000003", "unreachable").getAttribute("width")).toBe(String(chartLayout.barWidth));
  });

  it("loads nothing from the network and takes a screenshot of the chart", async () => {
    expect(requests.filter((u) => !u.startsWith("about:") && !u.startsWith("data:"))).toEqual([]);
    mkdirSync("test-results", { recursive: true });
    const png = await page.locator("svg").screenshot({ path: "test-results/compliance-chart.png" });
    await page.screenshot({ path: "test-results/compliance-report.png", fullPage: false });
    expect(png.byteLength).toBeGreaterThan(5_000);
  });

  it("keeps a long instance name to one cut line, the whole name on hover, and the header in sight while the rows scroll", async () => {
    const long = `${"checkout-service-blue-green-canary-".repeat(8)}01`;
    const base = report();
    const withLongName = { ...base, findings: base.findings.map((f, n) => (n === 0 ? { ...f, name: long } : f)) };
    const small = await browser.newPage({ viewport: { width: 1100, height: 300 } });
    await small.setContent(
      reportHtml(withLongName, {
        csv: "s3://b/findings.csv",
        json: "s3://b/report.json",
        csvUrl: "https://s3.console.aws.amazon.com/s3/object/b?prefix=findings.csv",
      }),
      {
        waitUntil: "load",
      },
    );
    const cell = small.locator(`td[title="${long}"]`);
    expect(await cell.textContent()).toBe(long);
    const { scrollWidth, clientWidth } = await cell.evaluate((td) => ({ scrollWidth: td.scrollWidth, clientWidth: td.clientWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    // the row with the long name is as tall as the one after it: one line
    const rows = small.locator("#instances tbody tr");
    const [first, second] = [await rows.nth(0).boundingBox(), await rows.nth(1).boundingBox()];
    expect(first!.height).toBeCloseTo(second!.height, 0);
    // scrolled to the last row, the header row stays at the top of the window
    await rows.last().scrollIntoViewIfNeeded();
    const header = await small.locator("#instances thead th").first().boundingBox();
    expect(header!.y).toBeCloseTo(0, 0);
    expect(await rows.count()).toBe(Math.min(base.findings.length, HTML_WORST_ROWS));
    await small.close();
  });
});
