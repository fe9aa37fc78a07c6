import { describe, expect, it } from "vitest";
import type { EnvironmentChange, HistoryEnvironmentLine } from "../../../contracts/compliance-history.js";
import { sampleReport } from "../../../test/support/compliance-fixtures.js";
import { changeLine, runDate, signed } from "../shared/change-text.js";
import type { PastRun } from "./history-read.js";
import { reportTrend, standingOf } from "./trend.js";
import { trendScale } from "./trend-chart.js";
import { trendSection } from "./trend-html.js";

const report = sampleReport(10); // started 2027-01-11T07:00:00Z: dev 115/120 managed, prod 630/650, one of prod's 3 targets unreachable

function pastRun(startedAt: string, lines: Record<string, Partial<HistoryEnvironmentLine>>): PastRun {
  const runId = `${startedAt.replace(/[-:]/g, "")}-past`;
  return {
    key: `history/environments/${startedAt.replace(/[-:]/g, "")}_${runId}.json`,
    runId,
    startedAt,
    environments: Object.entries(lines).map(([environment, line]) => ({
      run_id: runId,
      started_at: startedAt,
      environment,
      targets: 3,
      unreachable: 0,
      managed: 100,
      compliant: 90,
      non_compliant: 10,
      pending_reboot: 0,
      failed: 0,
      not_covered: 0,
      sla_breaches: 0,
      ...line,
    })),
  };
}

describe("the change since the last run", () => {
  it("is a first run for every environment when the history has none", () => {
    const trend = reportTrend(report, []);
    expect(trend.changes.map((c) => [c.environment, c.previous])).toEqual([
      ["dev", undefined],
      ["prod", undefined],
    ]);
    expect(trend.changes[1]!.current).toEqual({ compliancePercent: 96, managed: 650, nonCompliant: 20, unreachable: 1, notCovered: 3, targets: 3 });
    expect(trend.runs.map((r) => r.runId)).toEqual([report.runId]);
    expect(trend.notInThisRun).toEqual([]);
  });

  it("compares each environment with the newest earlier run that had it (a run started by hand had only prod)", () => {
    const past = [
      pastRun("2027-01-07T07:00:00Z", { dev: { compliant: 97 }, prod: { compliant: 80 } }),
      pastRun("2027-01-08T07:00:00Z", { prod: { compliant: 93, non_compliant: 24, not_covered: 3 } }),
    ];
    const trend = reportTrend(report, past);
    expect(trend.changes).toEqual([
      {
        environment: "dev",
        current: expect.objectContaining({ compliancePercent: 95 }),
        previous: expect.objectContaining({ compliancePercent: 97, startedAt: "2027-01-07T07:00:00Z", runId: past[0]!.runId }),
      },
      {
        environment: "prod",
        current: expect.objectContaining({ compliancePercent: 96 }),
        previous: expect.objectContaining({ compliancePercent: 93, nonCompliant: 24, startedAt: "2027-01-08T07:00:00Z" }),
      },
    ]);
    expect(trend.runs.map((r) => r.startedAt)).toEqual(["2027-01-07T07:00:00Z", "2027-01-08T07:00:00Z", report.startedAt]);
  });

  it("makes an environment new to this run a first run, and names environments earlier runs had and this one has not", () => {
    const past = [
      pastRun("2027-01-06T07:00:00Z", { staging: {}, prod: {} }),
      pastRun("2027-01-08T07:00:00Z", { prod: {}, qa: {} }),
      pastRun("2027-01-09T07:00:00Z", { prod: {} }),
    ];
    const trend = reportTrend(report, past);
    expect(trend.changes.find((c) => c.environment === "dev")!.previous).toBeUndefined();
    expect(trend.notInThisRun).toEqual([
      { environment: "qa", lastRunAt: "2027-01-08T07:00:00Z" },
      { environment: "staging", lastRunAt: "2027-01-06T07:00:00Z" },
    ]);
  });

  it("takes percentages rounded down as the report shows them, none without managed instances", () => {
    const line = pastRun("2027-01-08T07:00:00Z", { a: { managed: 100, compliant: 29 }, b: { managed: 0, compliant: 0 } }).environments;
    expect(standingOf(line[0]!).compliancePercent).toBe(29);
    expect(standingOf(line[1]!).compliancePercent).toBeNull();
  });
});

describe("the change in words", () => {
  it("writes the sign of every difference, a minus sign for a decrease", () => {
    expect([signed(3), signed(-4), signed(0), signed(12_000)]).toEqual(["+3", "−4", "±0", "+12,000"]);
  });

  it("dates the earlier run as short as it reads: the day, the year when it is another, the time when it is the same day", () => {
    const now = "2027-01-11T07:00:00Z";
    expect(runDate("2027-01-08T07:00:00Z", now)).toBe("8 Jan");
    expect(runDate("2026-11-30T07:00:00.123Z", now)).toBe("30 Nov 2026");
    expect(runDate("2027-01-11T05:30:00Z", now)).toBe("11 Jan 05:30 UTC");
  });

  const change = (current: Partial<EnvironmentChange["current"]>, previous?: Partial<EnvironmentChange["current"]>): EnvironmentChange => {
    const base = { compliancePercent: 92, managed: 100, nonCompliant: 12, unreachable: 1, notCovered: 3, targets: 4 };
    return {
      environment: "prod",
      current: { ...base, ...current },
      ...(previous && { previous: { ...base, ...previous, runId: "r0", startedAt: "2026-11-30T07:00:00Z" } }),
    };
  };

  it("is one line per environment: compliance in points since the day of the last run, counts up or down", () => {
    expect(changeLine(change({}, { compliancePercent: 89, nonCompliant: 16, unreachable: 0, notCovered: 3 }), "2026-12-07T07:00:00Z")).toBe(
      "prod: 92% compliant (+3 since 30 Nov) · 12 non-compliant (−4) · 1 unreachable (+1) · 3 not covered (±0)",
    );
  });

  it("says when there is nothing to compare, or no managed instances on one side", () => {
    const at = "2026-12-07T07:00:00Z";
    expect(changeLine(change({}), at)).toBe("prod: 92% compliant · first run, nothing to compare");
    expect(changeLine(change({ compliancePercent: null, managed: 0 }, { compliancePercent: 90 }), at)).toBe(
      "prod: no managed instances (90% on 30 Nov) · 12 non-compliant (±0) · 1 unreachable (±0) · 3 not covered (±0)",
    );
    expect(changeLine(change({}, { compliancePercent: null, managed: 0 }), at)).toMatch(/^prod: 92% compliant \(none managed on 30 Nov\) · /);
  });
});

describe("the report's trend section", () => {
  const past = [
    pastRun("2027-01-07T07:00:00Z", { dev: { compliant: 97 }, prod: { compliant: 80, non_compliant: 24 }, staging: {} }),
    pastRun("2027-01-08T07:00:00Z", { prod: { compliant: 93, non_compliant: 30, unreachable: 1, not_covered: 3 } }),
  ];

  it("shows each environment's values and signed changes, better in green and worse in red, and what it was compared with", () => {
    const html = trendSection(reportTrend(report, past));
    const row = (env: string) => html.split("\n").find((l) => l.startsWith(`<tr><th>${env}</th>`))!;
    expect(row("prod")).toBe(
      '<tr><th>prod</th><td class="n">96%<span class="d better">+3</span></td><td class="n">20<span class="d better">−10</span></td><td class="n">1<span class="d same">±0</span></td><td class="n">3<span class="d same">±0</span></td><td>8 Jan (run 20270108T070000Z-past)</td></tr>',
    );
    expect(row("dev")).toContain('<td class="n">95%<span class="d worse">−2</span></td>');
    expect(html).toContain('<p class="note">Not in this run: staging (last run 7 Jan).</p>');
    expect(html).toContain("<h2>Compliance over the last 3 runs</h2>");
  });

  it("says first run where there is nothing to compare", () => {
    const html = trendSection(reportTrend(report, []));
    expect(html).toContain(
      '<tr><th>dev</th><td class="n">95%</td><td class="n">5</td><td class="n">0</td><td class="n">1</td><td>first run: nothing to compare</td></tr>',
    );
    expect(html).toContain("The history begins with this run.");
  });

  it("escapes what the history holds", () => {
    const hostile = { ...pastRun("2027-01-08T07:00:00Z", { "<b>x</b>": {} }), runId: 'r"<i>' };
    const html = trendSection(reportTrend(report, [hostile]));
    expect(html).toContain("Not in this run: &lt;b&gt;x&lt;/b&gt; (last run 8 Jan).");
    expect(html).not.toContain("<b>x</b>");
  });

  it("puts every chart on one axis, from the lowest point rounded down to ten, never flat", () => {
    expect(trendScale(reportTrend(report, past))).toEqual({ lower: 80, ticks: [80, 85, 90, 95, 100] });
    expect(trendScale(reportTrend(report, [pastRun("2027-01-08T07:00:00Z", { prod: { compliant: 100 } })]))).toEqual({ lower: 90, ticks: [90, 95, 100] });
    expect(trendScale(reportTrend(report, [pastRun("2027-01-08T07:00:00Z", { prod: { compliant: 3 } })]))).toEqual({
      lower: 0,
      ticks: [0, 20, 40, 60, 80, 100],
    });
  });
});
