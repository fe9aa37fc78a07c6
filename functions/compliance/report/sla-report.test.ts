import { describe, expect, it } from "vitest";
import { findingsFor, okResult, targetOf } from "../../../test/support/compliance-fixtures.js";
import type { InstanceFinding, SlaSummary, TargetResult } from "../../../contracts/compliance-model.js";
import { buildReport, worstFirst } from "../shared/report.js";
import { digestDocument, digestSections, instanceLine } from "../../compliance/digest/digest.js";
import { findingsCsv } from "./csv.js";
import { reportHtml } from "./html.js";

const sla = { Critical: 14, Important: 30 };
const run = { runId: "20270115T070000Z-1a2b3c4d", startedAt: "2027-01-15T07:00:00Z", generatedAt: "2027-01-15T07:01:00Z", warnings: [] };
const web = targetOf("prod", "400000000002", "web-prod", "us-east-1");
const webEu = targetOf("prod", "400000000002", "web-prod", "eu-west-1");
const payments = targetOf("prod", "400000000001", "payments-prod", "us-east-1");
const dev = targetOf("dev", "200000000001", "payments-dev", "us-east-1");

const breach: SlaSummary = {
  breaches: 2,
  oldestMissingDays: 45,
  unknownAge: 1,
  worst: { patchId: "KB5034439", title: "2026-11 Cumulative Update", severity: "Critical", ageDays: 45, slaDays: 14 },
};
const within: SlaSummary = { breaches: 0, oldestMissingDays: 9, unknownAge: 0 };

/** `count` findings of a target, the first `breaching` in breach, the rest within the SLA. */
function findings(target: typeof web, count: number, breaching: number, start = 0): InstanceFinding[] {
  return findingsFor(target, count, start).map((f, n) => ({ ...f, sla: n < breaching ? breach : within }));
}

const options = { instanceLimit: 200, reportLink: { label: "Open the report", url: "https://example.com/r" }, reportPath: "s3://reports/r/report.html" };

/** A run with an SLA (instances summarized against it), or one without (no summaries, as the collector leaves them). */
function report(withSla = true) {
  const of = (target: typeof web, count: number, breaching: number, start = 0) =>
    withSla ? findings(target, count, breaching, start) : findingsFor(target, count, start);
  return buildReport(
    { ...run, ...(withSla && { sla }) },
    [
      okResult(dev, of(dev, 4, 0), 40),
      okResult(web, of(web, 6, 2), 60),
      okResult(webEu, of(webEu, 5, 1, 100), 50),
      okResult(payments, of(payments, 3, 3, 200), 30),
    ],
    ["dev", "preprod", "prod"],
  );
}

describe("SLA breaches in the report", () => {
  it("are counted per environment, account and region from the targets' counts", () => {
    const r = report();
    expect(r.counts.slaBreaches).toBe(6);
    const prod = r.environments.find((e) => e.name === "prod")!;
    expect(prod.counts.slaBreaches).toBe(6);
    expect(r.environments.find((e) => e.name === "dev")!.counts.slaBreaches).toBe(0);
    expect(prod.accounts.map((a) => [a.accountName, a.counts.slaBreaches, a.regions.map((x) => x.counts.slaBreaches)])).toEqual([
      ["web-prod", 3, [2, 1]],
      ["payments-prod", 3, [3]],
    ]);
    expect(r.sla).toEqual(sla);
  });

  it("count zero for a result of a collector from before the SLA, which has no such count", () => {
    const old = okResult(web, findingsFor(web, 2), 10);
    const { slaBreaches: _, ...counts } = old.counts;
    const r = buildReport(run, [{ ...old, counts } as unknown as TargetResult], ["prod"]);
    expect(r.counts.slaBreaches).toBe(0);
  });

  it("put instances in breach first", () => {
    const [a, b] = findingsFor(web, 2);
    const critical = { ...a!, instanceId: "i-critical", patch: { ...a!.patch!, criticalMissing: 5 } };
    const late = { ...b!, instanceId: "i-late", patch: { ...b!.patch!, criticalMissing: 0 }, sla: breach };
    expect([critical, late].sort(worstFirst).map((f) => f.instanceId)).toEqual(["i-late", "i-critical"]);
  });

  it("show in the HTML: the policy, a column in the totals, a flag on each instance in breach", () => {
    const html = reportHtml(report(), { csv: "s3://r/findings.csv", json: "s3://r/report.json" });
    expect(html).toContain(
      "<p>Patch SLA (days from a patch's release): Critical 14 days, Important 30 days; 6 instances with a missing or failed patch past it.</p>",
    );
    expect(html).toContain("<th>not covered</th><th>past SLA</th></tr>");
    expect(html).toMatch(/<tr><th colspan="3">prod<\/th>(<td class="n">[^<]*<\/td>){6}<td class="n">6<\/td><\/tr>/);
    expect(html).toContain("<th>not covered</th><th>patch SLA</th></tr></thead>");
    expect(html).toContain(
      '<span class="breach">breach</span> 2 patches past SLA, worst KB5034439 (Critical) 45 days old, SLA 14 days · 1 of unknown age</td>',
    );
    expect(html).toContain(">within SLA, oldest 9 days</td>");
    expect(html.match(/class="breach"/g)).toHaveLength(6);
  });

  it("leave the HTML as it was without an SLA", () => {
    const html = reportHtml(report(false), { csv: "s3://r/findings.csv", json: "s3://r/report.json" });
    expect(html).not.toMatch(/SLA|breach/);
  });

  it("are columns of the CSV, empty for an instance without an SLA summary", () => {
    const [a, b] = findingsFor(web, 2);
    const lines = findingsCsv([{ ...a!, sla: breach }, b!]).split("\r\n");
    expect(lines[0]).toMatch(/,not_covered,sla_breaches,oldest_missing_days,unknown_age_patches$/);
    expect(lines[1]).toMatch(/,2,45,1$/);
    expect(lines[2]).toMatch(/,,,$/);
  });
});

describe("SLA breaches in the digest", () => {
  it("are listed per environment and account, in the headline and with the policy", () => {
    const doc = digestDocument(report(), options);
    const totals = doc.lines.filter((l) => l.section === digestSections.totals).map((l) => l.text);
    expect(totals.find((t) => t.startsWith("prod:"))).toContain("· 6 past patch SLA");
    expect(totals.find((t) => t.startsWith("dev:"))).not.toContain("SLA");
    expect(totals.find((t) => t.includes("payments-prod"))).toContain("· 3 past patch SLA");
    expect(doc.title).toContain("6 past patch SLA");
    expect(doc.summary).toContain("Patch SLA (days from a patch's release): Critical 14 days, Important 30 days.");
  });

  it("flag each instance in breach on its line, and only those", () => {
    const [a, b] = findingsFor(web, 2);
    expect(instanceLine({ ...a!, sla: breach })).toMatch(
      / · SLA BREACH: 2 patches past SLA, worst KB5034439 \(Critical\) 45 days old, SLA 14 days · 1 of unknown age/,
    );
    expect(instanceLine({ ...b!, sla: within })).not.toContain("SLA");
  });

  it("say nothing of an SLA when none is configured", () => {
    const doc = digestDocument(report(false), options);
    expect([doc.title, ...doc.summary, ...doc.lines.map((l) => l.text)].join(" ")).not.toContain("SLA");
  });
});
