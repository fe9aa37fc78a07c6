import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { historyKey, type HistoryEnvironmentLine } from "../../../contracts/compliance-history.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { s3Body } from "../../../test/support/s3-body.js";
import { jsonLines } from "./history.js";
import { parsePastRun, readPastRuns } from "./history-read.js";

const s3 = mockClient(S3Client);
const bucket = "patchline-patch-data-100000000001-us-east-1";
const client = () => new S3Client({ region: "us-east-1" });

/** A run a day at 07:00 from 1 Nov 2026, its id as the targets step makes it. */
const runOn = (day: number) => {
  const startedAt = new Date(Date.UTC(2026, 10, 1 + day, 7)).toISOString();
  return { runId: `${startedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-0000${String(day).padStart(4, "0")}`, startedAt };
};

const line = (run: { runId: string; startedAt: string }, environment: string, compliant: number): HistoryEnvironmentLine => ({
  run_id: run.runId,
  started_at: run.startedAt,
  environment,
  targets: 2,
  unreachable: 0,
  managed: 100,
  compliant,
  non_compliant: 100 - compliant,
  pending_reboot: 0,
  failed: 0,
  not_covered: 0,
  sla_breaches: 0,
});

/** The bucket holds `days` runs' environment objects, listed `pageSize` keys a page, in key order as S3 lists them. */
function storeRuns(days: number, pageSize = 1000) {
  const runs = Array.from({ length: days }, (_, d) => runOn(d));
  const keys = runs.map((run) => historyKey("environments", run));
  const lists: object[] = [];
  runs.forEach((run, d) => s3.on(GetObjectCommand, { Key: keys[d] }).callsFake(() => ({ Body: s3Body(jsonLines([line(run, "prod", 60 + d)])) })));
  s3.on(ListObjectsV2Command).callsFake((input: { ContinuationToken?: string }) => {
    lists.push(JSON.parse(JSON.stringify(input)));
    const start = Number(input.ContinuationToken ?? 0);
    const page = keys.slice(start, start + pageSize);
    const more = start + pageSize < keys.length;
    return { Contents: page.map((Key) => ({ Key })), IsTruncated: more, ...(more && { NextContinuationToken: String(start + pageSize) }) };
  });
  return { runs, keys, lists };
}

describe("reading the earlier runs", () => {
  beforeEach(() => s3.reset());

  it("lists the environments table page by page and keeps the newest runs before this one, oldest first", async () => {
    const { keys, lists } = storeRuns(40, 7);
    const now = historyKey("environments", runOn(40));
    const past = await readPastRuns(client(), bucket, now, 29);
    expect(past.warnings).toEqual([]);
    expect(past.runs.map((r) => r.key)).toEqual(keys.slice(11));
    expect(past.runs[0]).toEqual({
      key: keys[11],
      runId: runOn(11).runId,
      startedAt: "2026-11-12T07:00:00Z",
      environments: [line(runOn(11), "prod", 71)],
    });
    expect(lists).toHaveLength(6);
    expect(lists[0]).toEqual({ Bucket: bucket, Prefix: "history/environments/" });
    expect(lists[1]).toEqual({ Bucket: bucket, Prefix: "history/environments/", ContinuationToken: "7" });
    for (const list of lists) expect(requestProblems("s3", "ListObjectsV2", list)).toEqual([]);
    // only the runs kept are read
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(29);
  });

  it("leaves out this run's own object and those of runs started after it (a retried step, an overlapping run)", async () => {
    const { keys } = storeRuns(10);
    const past = await readPastRuns(client(), bucket, keys[6]!, 29);
    expect(past.runs.map((r) => r.key)).toEqual(keys.slice(0, 6));
  });

  it("has no runs before the first", async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    expect(await readPastRuns(client(), bucket, historyKey("environments", runOn(0)), 29)).toEqual({ runs: [], warnings: [] });
  });

  it("leaves out, with a warning each, an object that has gone, one that is not the table's lines, and a key no run writes", async () => {
    const { keys } = storeRuns(5);
    s3.on(GetObjectCommand, { Key: keys[1] }).rejects(
      new S3ServiceException({ name: "NoSuchKey", $fault: "client", $metadata: { httpStatusCode: 404 }, message: "The specified key does not exist." }),
    );
    s3.on(GetObjectCommand, { Key: keys[2] }).callsFake(() => ({ Body: s3Body('{"run_id":"x"\n') }));
    s3.on(GetObjectCommand, { Key: keys[3] }).callsFake(() => ({ Body: s3Body(jsonLines([{ ...line(runOn(3), "prod", 90), managed: -1 }])) }));
    s3.on(ListObjectsV2Command).resolves({ Contents: [...keys, "history/environments/notes.txt"].sort().map((Key) => ({ Key })) });
    const past = await readPastRuns(client(), bucket, historyKey("environments", runOn(9)), 29);
    expect(past.runs.map((r) => r.key)).toEqual([keys[0], keys[4]]);
    expect([...past.warnings].sort()).toEqual(
      [
        `s3://${bucket}/history/environments/notes.txt is not a run's history (<start>_<run>.json) and was left out of the trend`,
        `s3://${bucket}/${keys[1]} was left out of the trend: NoSuchKey: The specified key does not exist.`,
        `s3://${bucket}/${keys[2]} was left out of the trend: line 1 is not JSON`,
        `s3://${bucket}/${keys[3]} was left out of the trend: line 1: managed: must be at least 0`,
      ].sort(),
    );
  });

  it("goes on without a trend when the history cannot be listed, saying why", async () => {
    s3.on(ListObjectsV2Command).rejects(
      new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Access Denied" }),
    );
    expect(await readPastRuns(client(), bucket, historyKey("environments", runOn(9)), 29)).toEqual({
      runs: [],
      warnings: [`the run history (s3://${bucket}/history/environments/) could not be listed, AccessDenied: Access Denied; no trend`],
    });
  });
});

describe("a run's history object", () => {
  const run = runOn(3);
  const key = historyKey("environments", run);

  it("is the run of its key, every line of it", () => {
    expect(() => parsePastRun(key, jsonLines([line(run, "prod", 90), line(runOn(4), "dev", 90)]))).toThrow(
      `line 2 is of run ${runOn(4).runId}, the key of run ${run.runId}`,
    );
  });

  it("names every column a line lacks, and ignores columns added later", () => {
    const { sla_breaches: _, targets: __, ...older } = line(run, "prod", 90);
    expect(() => parsePastRun(key, JSON.stringify(older))).toThrow("line 1: targets: expected number; sla_breaches: expected number");
    expect(parsePastRun(key, JSON.stringify({ ...line(run, "prod", 90), later: "x" })).environments).toHaveLength(1);
  });

  it("may be empty: a run without targets", () => {
    expect(parsePastRun(key, "")).toEqual({ key, runId: run.runId, startedAt: "2026-11-04T07:00:00Z", environments: [] });
  });
});
