import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { s3Body as body } from "../../../test/support/s3-body.js";
import { findingsFor, okResult, sampleReport, targetOf } from "../../../test/support/compliance-fixtures.js";
import type { InstanceFinding } from "../../../contracts/compliance-model.js";
import { csvField, findingsCsv } from "./csv.js";
import { reportHtml } from "./html.js";
import { buildReport, hasFindings, worstFirst } from "../shared/report.js";
import { consoleUrl, writeReport } from "./run.js";
import { mapRunObjects } from "../../../test/support/map-run.js";

const s3 = mockClient(S3Client);

describe("the report", () => {
  it("groups targets by environment in promotion order, then account, summing regions", () => {
    const report = sampleReport(10);
    expect(report.environments.map((e) => e.name)).toEqual(["dev", "prod"]);
    const payments = report.environments[1]!.accounts.find((a) => a.accountName === "payments-prod")!;
    expect(payments.regions.map((r) => [r.region, r.status])).toEqual([
      ["us-east-1", "ok"],
      ["eu-west-1", "unreachable"],
    ]);
    expect(report.counts).toMatchObject({ managed: 770, nonCompliant: 25 });
    expect(report.unreachable).toEqual([
      expect.objectContaining({ accountId: "400000000001", region: "eu-west-1", reason: expect.stringMatching(/^cannot assume/) }),
    ]);
  });

  it("orders instances by missing critical, then security patches, failed installs and pending reboots", () => {
    const base = findingsFor(targetOf("prod", "400000000002", "web-prod", "us-east-1"), 1)[0]!;
    const f = (id: string, patch: Partial<NonNullable<InstanceFinding["patch"]>>): InstanceFinding => ({
      ...base,
      instanceId: id,
      patch: { ...base.patch!, criticalMissing: 0, securityMissing: 0, failed: 0, pendingReboot: 0, missing: 1, ...patch },
    });
    const sorted = [
      f("i-reboot", { pendingReboot: 1 }),
      f("i-security", { securityMissing: 2 }),
      f("i-failed", { failed: 1 }),
      f("i-critical", { criticalMissing: 1 }),
    ].sort(worstFirst);
    expect(sorted.map((x) => x.instanceId)).toEqual(["i-critical", "i-security", "i-failed", "i-reboot"]);
  });

  it("has nothing to tell when everything is compliant and reachable", () => {
    const dev = targetOf("dev", "200000000001", "payments-dev", "us-east-1");
    const clean = buildReport({ runId: "r", startedAt: "s", generatedAt: "g", warnings: [] }, [okResult(dev, [], 50)], ["dev"]);
    expect(hasFindings(clean)).toBe(false);
    expect(hasFindings(sampleReport(1))).toBe(true);
  });
});

describe("CSV", () => {
  it("quotes separators and quotes, and defuses values a spreadsheet would run as formulas", () => {
    expect(csvField('web, "blue"')).toBe('"web, ""blue"""');
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("-1+1")).toBe("'-1+1");
    expect(csvField(-1)).toBe("-1");
    expect(csvField(undefined)).toBe("");
  });

  it("has a header and one row per finding", () => {
    const report = sampleReport(10);
    const lines = findingsCsv(report.findings).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "environment,account_id,account_name,region,instance_id,name,owner,patch_group,patch_policy,maintenance_window,severity,missing,critical_missing,security_missing,other_missing,failed,pending_reboot,last_operation,last_operation_at,not_covered,sla_breaches,oldest_missing_days,unknown_age_patches",
    );
    expect(lines).toHaveLength(report.findings.length + 1);
  });
});

describe("HTML", () => {
  it("escapes what tags and account names carry", () => {
    const report = sampleReport(1);
    const hostile = { ...report, findings: [{ ...report.findings[0]!, name: '<script>alert("x")</script>' }] };
    const html = reportHtml(hostile, { csv: "c", json: "j" });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});

describe("writing a run's report", () => {
  beforeEach(() => s3.reset());

  it("reads each target's result from the map run's files, records the ones the run gave up on, and writes JSON, CSV and HTML", async () => {
    const web = targetOf("prod", "400000000002", "web-prod", "us-east-1");
    const data = targetOf("prod", "400000000003", "data-prod", "eu-west-1");
    const lost = targetOf("dev", "200000000001", "payments-dev", "us-east-1");
    const map = mapRunObjects("patchline-reports", [
      {
        input: { runId: "r1", target: web },
        status: "SUCCEEDED",
        output: { status: "ok", resultKey: "runs/r1/targets/prod/400000000002/us-east-1.json", counts: okResult(web, findingsFor(web, 3), 20).counts },
      },
      // the collector gave up: the child recorded the target as unreachable and succeeded
      { input: { runId: "r1", target: data }, status: "SUCCEEDED", output: { status: "unreachable", target: data, error: "TargetThrottled" } },
      // the child itself failed: the report still names its target
      { input: { runId: "r1", target: lost }, status: "FAILED", error: "States.Runtime", cause: "an error occurred" },
    ]);
    for (const [key, text] of map.objects) s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: body(text) }));
    s3.on(GetObjectCommand, { Key: "runs/r1/targets/prod/400000000002/us-east-1.json" }).callsFake(() => ({
      Body: body(JSON.stringify(okResult(web, findingsFor(web, 3), 20))),
    }));
    s3.on(PutObjectCommand).resolves({});
    const output = await writeReport(
      {
        s3: new S3Client({ region: "us-east-1" }),
        bucket: "patchline-reports",
        region: "us-east-1",
        now: () => new Date("2027-01-11T07:02:00Z"),
        environmentOrder: ["dev", "prod"],
        digestChannels: [],
        allClear: false,
      },
      { runId: "r1", startedAt: "2027-01-11T07:00:00Z", warnings: [], results: map.details },
    );
    // findings, but no digest channel: the report is all there is
    expect(output).toMatchObject({ hasFindings: true, sendDigest: false, targets: 3, unreachable: 2, counts: { managed: 20, nonCompliant: 3 } });
    expect(output.keys).toEqual({ json: "reports/r1/report.json", csv: "reports/r1/findings.csv", html: "reports/r1/report.html" });
    expect(output.consoleUrl).toBe(consoleUrl("patchline-reports", "us-east-1", "reports/r1/report.html"));
    expect(output.consoleUrl).toBe(
      "https://s3.console.aws.amazon.com/s3/object/patchline-reports?region=us-east-1&bucketType=general&prefix=reports%2Fr1%2Freport.html",
    );
    const written = Object.fromEntries(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Key, c.args[0].input]));
    expect(Object.keys(written).sort()).toEqual(["reports/r1/findings.csv", "reports/r1/report.html", "reports/r1/report.json"]);
    const json = JSON.parse(String(written["reports/r1/report.json"]!.Body));
    expect(json.unreachable).toEqual([
      expect.objectContaining({ accountId: "400000000003", reason: "throttled beyond retries" }),
      expect.objectContaining({ accountId: "200000000001", reason: "the collector failed (States.Runtime)" }),
    ]);
    expect(written["reports/r1/report.html"]!.ContentType).toBe("text/html; charset=utf-8");
  });

  it("sends a digest only to configured channels, with findings or an all-clear", async () => {
    const empty = mapRunObjects("patchline-reports", []);
    for (const [key, text] of empty.objects) s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: body(text) }));
    s3.on(PutObjectCommand).resolves({});
    const channel = { name: "platform-teams", type: "teams" as const, destination: "patchline/chat/platform-teams" };
    const run = (digestChannels: (typeof channel)[], allClear: boolean) =>
      writeReport(
        {
          s3: new S3Client({ region: "us-east-1" }),
          bucket: "patchline-reports",
          region: "us-east-1",
          now: () => new Date("2027-01-11T07:02:00Z"),
          environmentOrder: ["prod"],
          digestChannels,
          allClear,
        },
        { runId: "r2", startedAt: "2027-01-11T07:00:00Z", warnings: [], results: empty.details },
      );
    expect((await run([channel], false)).sendDigest).toBe(false);
    expect((await run([channel], true)).sendDigest).toBe(true);
    expect((await run([], true)).sendDigest).toBe(false);
  });
});
