import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryEnvironmentLine } from "../../../contracts/compliance-history.js";
import { launchChromium } from "../../../test/support/browser.js";
import { sampleReport } from "../../../test/support/compliance-fixtures.js";
import type { PastRun } from "./history-read.js";
import { reportHtml } from "./html.js";
import { trendLayout } from "./trend-chart.js";
import { reportTrend } from "./trend.js";

/** Eleven daily runs before the sample run (11 Jan 2027): prod from 71 % up, dev missing from the run of 5 Jan (started by hand for prod). */
function history(): PastRun[] {
  return Array.from({ length: 11 }, (_, d) => {
    const startedAt = new Date(Date.UTC(2026, 11, 31 + d, 7)).toISOString().replace(".000", "");
    const runId = `run-${d}`;
    const line = (environment: string, compliant: number, managed = 100): HistoryEnvironmentLine => ({
      run_id: runId,
      started_at: startedAt,
      environment,
      targets: 2,
      unreachable: 0,
      managed,
      compliant,
      non_compliant: managed - compliant,
      pending_reboot: 0,
      failed: 0,
      not_covered: 0,
      sla_breaches: 0,
    });
    const environments = d === 5 ? [line("prod", 71 + 2 * d)] : [line("dev", 100 - d, 100), line("prod", 71 + 2 * d)];
    return { key: `history/environments/${runId}.json`, runId, startedAt, environments };
  });
}

describe("the trend charts in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const report = sampleReport(12);
  const trend = reportTrend(report, history());

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(reportHtml(report, { csv: "s3://b/findings.csv", json: "s3://b/report.json" }, trend), { waitUntil: "load" });
  }, 60_000);
  afterAll(async () => browser?.close());

  const chart = (environment: string) => page.locator(`#trends svg[data-environment="${environment}"]`);

  it("draws one chart per environment of the run, each named for a screen reader by its title and description", async () => {
    const charts = await page.locator("#trends svg").evaluateAll((svgs) =>
      svgs.map((svg) => {
        const [title, desc] = (svg.getAttribute("aria-labelledby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
        return { environment: svg.getAttribute("data-environment"), role: svg.getAttribute("role"), title, desc };
      }),
    );
    expect(charts).toEqual([
      {
        environment: "dev",
        role: "img",
        title: "dev: compliance over the last 12 runs",
        desc: "dev: from 100% on 31 Dec 2026 to 95% on 11 Jan 07:00 UTC; lowest 90%, highest 100%, over 11 runs.",
      },
      {
        environment: "prod",
        role: "img",
        title: "prod: compliance over the last 12 runs",
        desc: "prod: from 71% on 31 Dec 2026 to 96% on 11 Jan 07:00 UTC; lowest 71%, highest 96%, over 12 runs.",
      },
    ]);
  });

  it("puts each run's point where its compliance is on the shared axis, and its line through them", async () => {
    // every chart reads from 70 % (prod's lowest, 71 %, rounded down to ten) to 100 %; 12 runs across the plot
    const L = trendLayout;
    const x = (i: number) => L.left + (i * (L.width - L.left - L.right)) / 11;
    const y = (p: number) => L.height - L.bottom - ((p - 70) / 30) * (L.height - L.top - L.bottom);
    const points = await chart("prod")
      .locator("circle")
      .evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute("data-percent")), Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]));
    const expected = [...Array.from({ length: 11 }, (_, d) => 71 + 2 * d), 96];
    expect(points.map(([p]) => p)).toEqual(expected);
    points.forEach(([p, cx, cy], i) => {
      expect(cx).toBeCloseTo(x(i), 0);
      expect(cy).toBeCloseTo(y(p!), 0);
    });
    // dev was not in the run of 5 Jan: no point there, the line bridges it
    const devRuns = await chart("dev")
      .locator("circle")
      .evaluateAll((cs) => cs.map((c) => c.getAttribute("data-run")));
    expect(devRuns).toEqual(["run-0", "run-1", "run-2", "run-3", "run-4", "run-6", "run-7", "run-8", "run-9", "run-10", report.runId]);
    const line = await chart("prod").locator("polyline").getAttribute("points");
    expect(line!.split(" ").map((xy) => xy.split(",").map(Number))).toEqual(points.map(([, cx, cy]) => [cx, cy]));
    // where Chromium lays the point out: at its place in the chart's box
    const box = (await chart("prod").boundingBox())!;
    const last = (await chart("prod").locator("circle").last().boundingBox())!;
    expect(last.x + last.width / 2 - box.x).toBeCloseTo(x(11), 0);
    expect(last.y + last.height / 2 - box.y).toBeCloseTo(y(96), 0);
  });

  it("labels the axis in percent and the first and last run's dates, and tells each point's values on hover", async () => {
    const texts = await chart("prod").locator(":scope > text").allTextContents();
    expect(texts).toEqual(["prod", "96%", "70%", "80%", "90%", "100%", "31 Dec 2026", "11 Jan 07:00 UTC"]);
    expect(await chart("prod").locator("circle title").first().textContent()).toBe("prod, 31 Dec 2026: 71% compliant of 100 managed");
  });

  it("keeps every label inside its chart and the charts side by side within the page", async () => {
    const outside = await page.locator("#trends svg").evaluateAll((svgs) =>
      svgs.flatMap((svg) => {
        const frame = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll("text, circle, polyline, line"))
          .map((el) => ({ el, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5)
          .map(({ el }) => `${svg.getAttribute("data-environment")}: ${el.tagName} ${el.textContent}`);
      }),
    );
    expect(outside).toEqual([]);
    const container = await page.locator("#trends").evaluate((div) => ({ scroll: div.scrollWidth, client: div.clientWidth }));
    expect(container.scroll).toBeLessThanOrEqual(container.client);
    const [dev, prod] = [(await chart("dev").boundingBox())!, (await chart("prod").boundingBox())!];
    expect(prod.y).toBeCloseTo(dev.y, 0);
    expect(prod.x).toBeGreaterThanOrEqual(dev.x + dev.width);
    mkdirSync("test-results", { recursive: true });
    const png = await page.locator("#trends").screenshot({ path: "test-results/compliance-trend.png" });
    expect(png.byteLength).toBeGreaterThan(5_000);
  });

  it("shows the change since the last run above the charts, the sign of each difference written", async () => {
    const cells = await page.locator("#changes tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.children).map((c) => c.textContent)));
    expect(cells).toEqual([
      // the last run (10 Jan): dev 90 % of 100 managed, 10 non-compliant; prod 91 %, 9 non-compliant
      ["dev", "95%+5", "6−4", "0±0", "1+1", "10 Jan (run run-10)"],
      ["prod", "96%+5", "24+15", "1+1", "3+3", "10 Jan (run run-10)"],
    ]);
    expect(await page.locator("#changes .better").allTextContents()).toEqual(["+5", "−4", "+5"]);
    expect(await page.locator("#changes .worse").allTextContents()).toEqual(["+1", "+15", "+1", "+3"]);
  });
});
