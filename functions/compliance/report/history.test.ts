import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { historyEnvironmentColumns, historyKey, historyStamp, historyTargetColumns } from "../../../contracts/compliance-history.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { sampleReport } from "../../../test/support/compliance-fixtures.js";
import { s3Body } from "../../../test/support/s3-body.js";
import { historyEnvironmentLines, historyTargetLines, jsonLines, writeHistory } from "./history.js";

const s3 = mockClient(S3Client);
const bucket = "patchline-patch-data-100000000001-us-east-1";
const report = sampleReport(10);
const client = () => new S3Client({ region: "us-east-1" });

/** S3's answer to a write-once PUT of a key that exists. */
const preconditionFailed = () =>
  new S3ServiceException({
    name: "PreconditionFailed",
    $fault: "client",
    $metadata: { httpStatusCode: 412 },
    message: "At least one of the pre-conditions you specified did not hold",
  });

describe("the run's history lines", () => {
  it("are one line per environment, with every column of history_environments in its order", () => {
    const lines = historyEnvironmentLines(report);
    expect(lines.map((l) => Object.keys(l))).toEqual([Object.keys(historyEnvironmentColumns), Object.keys(historyEnvironmentColumns)]);
    expect(lines).toEqual([
      {
        run_id: "20270111T070000Z-1a2b3c4d",
        started_at: "2027-01-11T07:00:00Z",
        environment: "dev",
        targets: 1,
        unreachable: 0,
        managed: 120,
        compliant: 115,
        non_compliant: 5,
        pending_reboot: 1,
        failed: 1,
        not_covered: 1,
        sla_breaches: 0,
      },
      {
        run_id: "20270111T070000Z-1a2b3c4d",
        started_at: "2027-01-11T07:00:00Z",
        environment: "prod",
        targets: 3,
        unreachable: 1,
        managed: 650,
        compliant: 630,
        non_compliant: 20,
        pending_reboot: 4,
        failed: 2,
        not_covered: 3,
        sla_breaches: 0,
      },
    ]);
  });

  it("are one line per account-region, an unreachable one with its reason, the others with none", () => {
    const lines = [...historyTargetLines(report)];
    expect(lines.map((l) => Object.keys(l))).toEqual(lines.map(() => Object.keys(historyTargetColumns)));
    expect(lines.map((l) => [l.environment, l.account_id, l.region, l.status])).toEqual([
      ["dev", "200000000001", "us-east-1", "ok"],
      ["prod", "400000000002", "us-east-1", "ok"],
      ["prod", "400000000001", "us-east-1", "ok"],
      ["prod", "400000000001", "eu-west-1", "unreachable"],
    ]);
    expect(lines[0]).toMatchObject({ account_name: "payments-dev", reason: null, managed: 120, non_compliant: 5 });
    expect(lines[3]!.reason).toMatch(/^cannot assume arn:aws:iam::400000000001:role\/patchline-compliance-reader/);
    expect(lines[3]).toMatchObject({ managed: 0, compliant: 0, sla_breaches: 0 });
  });

  it("carry the instances breaching the patch SLA", () => {
    const withSla = {
      ...report,
      environments: report.environments.map((env) => ({
        ...env,
        counts: { ...env.counts, slaBreaches: env.name === "prod" ? 7 : 0 },
        accounts: env.accounts.map((a) => ({ ...a, regions: a.regions.map((r) => ({ ...r, counts: { ...r.counts, slaBreaches: 2 } })) })),
      })),
    };
    expect(historyEnvironmentLines(withSla).map((l) => l.sla_breaches)).toEqual([0, 7]);
    expect([...historyTargetLines(withSla)].map((l) => l.sla_breaches)).toEqual([2, 2, 2, 2]);
  });

  it("are JSON lines, each ending in a newline; a run without targets is an empty object", () => {
    expect(jsonLines([{ a: 1 }, { b: "x\ny" }])).toBe('{"a":1}\n{"b":"x\\ny"}\n');
    expect(jsonLines([])).toBe("");
  });

  it("go to keys that begin with the run's start to the second, so they sort by time", () => {
    const run = { runId: "20270111T070000Z-1a2b3c4d", startedAt: "2027-01-11T07:00:00.123Z" };
    expect(historyKey("environments", run)).toBe("history/environments/20270111T070000Z_20270111T070000Z-1a2b3c4d.json");
    expect(historyKey("targets", run)).toBe("history/targets/20270111T070000Z_20270111T070000Z-1a2b3c4d.json");
    expect(historyStamp("2026-12-31T23:59:59Z") < historyStamp("2027-01-01T00:00:00Z")).toBe(true);
    expect(() => historyStamp("s")).toThrow('"s" is not a run\'s start time (ISO 8601)');
  });
});

describe("writing the history", () => {
  beforeEach(() => s3.reset());

  const keys = {
    environments: "history/environments/20270111T070000Z_20270111T070000Z-1a2b3c4d.json",
    targets: "history/targets/20270111T070000Z_20270111T070000Z-1a2b3c4d.json",
  };

  it("writes each table's object once (If-None-Match: *), as AWS's API model takes it", async () => {
    s3.on(PutObjectCommand).resolves({});
    const written = await writeHistory(client(), bucket, report);
    expect(written).toEqual({ keys, warnings: [] });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.IfNoneMatch, p.ContentType])).toEqual([
      [bucket, keys.environments, "*", "application/x-ndjson"],
      [bucket, keys.targets, "*", "application/x-ndjson"],
    ]);
    for (const put of puts) expect(requestProblems("s3", "PutObject", put)).toEqual([]);
    expect(
      String(puts[0]!.Body)
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).environment),
    ).toEqual(["dev", "prod"]);
    expect(String(puts[1]!.Body).trimEnd().split("\n")).toHaveLength(4);
  });

  it("takes an object that exists with the same lines as this run's own, from an attempt of the step that failed later", async () => {
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    s3.on(GetObjectCommand, { Key: keys.environments }).callsFake(() => ({ Body: s3Body(jsonLines(historyEnvironmentLines(report))) }));
    s3.on(GetObjectCommand, { Key: keys.targets }).callsFake(() => ({ Body: s3Body(jsonLines(historyTargetLines(report))) }));
    expect((await writeHistory(client(), bucket, report)).warnings).toEqual([]);
  });

  it("keeps an object that exists with other lines, and says so", async () => {
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    s3.on(GetObjectCommand, { Key: keys.environments }).callsFake(() => ({ Body: s3Body('{"run_id":"other"}\n') }));
    s3.on(GetObjectCommand, { Key: keys.targets }).callsFake(() => ({ Body: s3Body(jsonLines(historyTargetLines(report))) }));
    expect((await writeHistory(client(), bucket, report)).warnings).toEqual([
      `history not written to s3://${bucket}/${keys.environments} (it exists with other lines, which are kept): the trend and history_environments lack this run`,
    ]);
  });

  it("says what failed instead of failing: the report is written, the digest goes out", async () => {
    s3.on(PutObjectCommand, { Key: keys.targets }).rejects(
      new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Access Denied" }),
    );
    s3.on(PutObjectCommand, { Key: keys.environments }).resolves({});
    expect((await writeHistory(client(), bucket, report)).warnings).toEqual([
      `history not written to s3://${bucket}/${keys.targets} (AccessDenied: Access Denied): history_targets lacks this run`,
    ]);
  });
});
