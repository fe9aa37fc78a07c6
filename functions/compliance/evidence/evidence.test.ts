import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  EVIDENCE_SUMMARY_RUNS,
  parseEvidenceDocument,
  parseEvidenceSummary,
  type EvidenceDocument,
  type EvidenceSummary,
} from "../../../contracts/evidence.js";
import type { Target } from "../../../contracts/compliance-model.js";
import { targetOf } from "../../../test/support/compliance-fixtures.js";
import { evidencePartOf } from "../../../test/support/evidence-fixtures.js";
import { s3Body } from "../../../test/support/s3-body.js";
import { EvidenceAssembler, nextSummary, summaryRun } from "./assemble.js";
import { storeEvidence } from "./store.js";

const s3 = mockClient(S3Client);
const bucket = "patchline-evidence-100000000001-us-east-1";
const run = { runId: "20270111T070000Z-1a2b3c4d", startedAt: "2027-01-11T07:00:00.000Z" };

const webA = targetOf("preprod", "300000000002", "web-preprod", "us-east-1");
const webB = targetOf("preprod", "300000000002", "web-preprod", "eu-west-1");
const payments = targetOf("preprod", "300000000001", "payments-preprod", "us-east-1");
const prod = targetOf("prod", "400000000002", "web-prod", "us-east-1");

/** What preprod's three targets hand in: two parts and an unreachable target. */
const preprodTargets: Array<[Target, Parameters<EvidenceAssembler["add"]>[1]]> = [
  [
    webB,
    {
      part: evidencePartOf(
        webB,
        [
          {
            id: "i-0b",
            patches: [
              ["KB1", "Installed"],
              ["KB2", "Failed"],
            ],
          },
        ],
        "2027-01-11T07:00:40.000Z",
      ),
    },
  ],
  [payments, { unreachable: "cannot assume arn:aws:iam::300000000001:role/patchline-compliance-reader" }],
  [
    webA,
    {
      part: evidencePartOf(webA, [
        {
          id: "i-0a",
          patches: [
            ["KB1", "InstalledPendingReboot"],
            ["KB3", "Missing"],
            ["KB4", "InstalledRejected"],
          ],
        },
      ]),
    },
  ],
];

/** preprod's document, its targets added in the given order. */
function preprodDocument(order = preprodTargets): EvidenceDocument {
  const assembler = new EvidenceAssembler(run, ["preprod"]);
  for (const [target, evidence] of order) assembler.add(target, evidence);
  return assembler.documents()[0]!;
}

describe("assembling an environment's evidence document", () => {
  it("joins the parts of every target of the environment, unreachable ones with their reason, in a fixed order", () => {
    const document = preprodDocument();
    expect(parseEvidenceDocument(JSON.parse(JSON.stringify(document)), "the document")).toEqual(document);
    expect(document).toMatchObject({ version: 1, id: "preprod/20270111T070000Z-1a2b3c4d", environment: "preprod", runId: run.runId });
    expect(document.targets.map((t) => [t.accountId, t.region, t.status, t.instances, t.reason])).toEqual([
      ["300000000001", "us-east-1", "unreachable", 0, "cannot assume arn:aws:iam::300000000001:role/patchline-compliance-reader"],
      ["300000000002", "eu-west-1", "ok", 1, undefined],
      ["300000000002", "us-east-1", "ok", 1, undefined],
    ]);
    expect(document.instances.map((i) => i.InstanceId)).toEqual(["i-0b", "i-0a"]);
    expect(document.windowExecutions.map((e) => e.region)).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("dates the document by its latest read target, and its executions by the latest lookback of them", () => {
    const document = preprodDocument();
    expect(document.collectedAt).toBe("2027-01-11T07:00:40.000Z");
    expect(document.windowExecutionsSince).toBe("2026-12-07T07:00:40.000Z");
  });

  it("is the same document however the targets arrive", () => {
    expect(JSON.stringify(preprodDocument([...preprodTargets].reverse()))).toBe(JSON.stringify(preprodDocument()));
  });

  it("keeps nothing of environments whose evidence is not collected, and writes no document for one without targets", () => {
    const assembler = new EvidenceAssembler(run, ["preprod", "dev"]);
    assembler.add(prod, { part: evidencePartOf(prod, [{ id: "i-0p", patches: [["KB1", "Installed"]] }]) });
    assembler.add(webA, { part: evidencePartOf(webA, [{ id: "i-0a", patches: [] }]) });
    expect(assembler.wants("prod")).toBe(false);
    expect(assembler.documents().map((d) => d.environment)).toEqual(["preprod"]);
    expect(assembler.documents()[0]!.instances.map((i) => i.InstanceId)).toEqual(["i-0a"]);
  });

  it("dates a document of an environment nothing could be read in by the run's start", () => {
    const assembler = new EvidenceAssembler(run, ["preprod"]);
    assembler.add(webA, { unreachable: "throttled beyond retries" });
    const [document] = assembler.documents();
    expect(document).toMatchObject({ collectedAt: "2027-01-11T07:00:00.000Z", windowExecutionsSince: "2026-12-07T07:00:00.000Z", instances: [] });
    expect(document!.targets).toEqual([{ ...document!.targets[0], status: "unreachable", reason: "throttled beyond retries", instances: 0 }]);
  });

  it("refuses a part handed in for another target", () => {
    const assembler = new EvidenceAssembler(run, ["preprod"]);
    expect(() => assembler.add(webA, { part: evidencePartOf(webB, []) })).toThrow(
      "the evidence part of 300000000002 eu-west-1 was handed in for 300000000002 us-east-1",
    );
  });
});

describe("the summary", () => {
  it("counts (instance, patch) pairs: installed with those pending a reboot, failed, missing; and unreachable targets", () => {
    expect(summaryRun(preprodDocument(), "evidence/preprod/runs/r.json")).toEqual({
      id: "preprod/20270111T070000Z-1a2b3c4d",
      key: "evidence/preprod/runs/r.json",
      collectedAt: "2027-01-11T07:00:40.000Z",
      instances: 2,
      unreachableTargets: 1,
      installed: 2,
      failed: 1,
      missing: 1,
    });
  });

  it("lists runs newest first, at most EVIDENCE_SUMMARY_RUNS, and a run once", () => {
    const day = (n: number) => ({
      ...summaryRun(preprodDocument(), `k${n}`),
      id: `preprod/r${n}`,
      collectedAt: new Date(Date.UTC(2026, 9, 1) + n * 86_400_000).toISOString(),
    });
    const previous: EvidenceSummary = {
      version: 1,
      environment: "preprod",
      runs: Array.from({ length: EVIDENCE_SUMMARY_RUNS }, (_, n) => day(EVIDENCE_SUMMARY_RUNS - 1 - n)),
    };
    const document = preprodDocument();
    const next = nextSummary(previous, document, "evidence/preprod/runs/20270111T070000Z-1a2b3c4d.json");
    expect(next.runs).toHaveLength(EVIDENCE_SUMMARY_RUNS);
    expect(next.runs[0]!.id).toBe(document.id);
    expect(next.runs[1]!.id).toBe(`preprod/r${EVIDENCE_SUMMARY_RUNS - 1}`);
    expect(next.runs.at(-1)!.id).toBe("preprod/r1");
    expect(nextSummary(next, document, "elsewhere")).toBe(next);
    expect(nextSummary(undefined, document, "k").runs.map((r) => r.id)).toEqual([document.id]);
  });
});

describe("storing evidence", () => {
  const document = preprodDocument();
  const documentKey = "evidence/preprod/runs/20270111T070000Z-1a2b3c4d.json";
  const summaryKey = "evidence/preprod/summary.json";
  const s3Error = (name: string, httpStatusCode: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
  const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
  const store = () => storeEvidence(new S3Client({ region: "us-east-1" }), bucket, document);

  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
  });

  it("writes the document once (If-None-Match) and adds it to the summary, written back only if unchanged (If-Match)", async () => {
    const older = nextSummary(undefined, { ...document, id: "preprod/older", collectedAt: "2027-01-04T07:00:00.000Z" }, "evidence/preprod/runs/older.json");
    s3.on(GetObjectCommand, { Key: summaryKey }).resolves({ Body: s3Body(JSON.stringify(older)), ETag: '"etag-1"' });
    expect(await store()).toBe(documentKey);
    const [written, summary] = puts();
    expect(written).toMatchObject({ Bucket: bucket, Key: documentKey, IfNoneMatch: "*", ContentType: "application/json" });
    expect(written!.IfMatch).toBeUndefined();
    expect(parseEvidenceDocument(JSON.parse(String(written!.Body)), "written")).toEqual(document);
    expect(summary).toMatchObject({ Bucket: bucket, Key: summaryKey, IfMatch: '"etag-1"' });
    expect(parseEvidenceSummary(JSON.parse(String(summary!.Body)), "summary").runs.map((r) => [r.id, r.key])).toEqual([
      [document.id, documentKey],
      ["preprod/older", "evidence/preprod/runs/older.json"],
    ]);
  });

  it("starts the summary with If-None-Match when there is none yet (S3 says AccessDenied: the function may not list the bucket)", async () => {
    s3.on(GetObjectCommand, { Key: summaryKey }).rejects(s3Error("AccessDenied", 403));
    await store();
    expect(puts()[1]).toMatchObject({ Key: summaryKey, IfNoneMatch: "*" });
    expect(puts()[1]!.IfMatch).toBeUndefined();
  });

  it("fails loudly when the run's document exists with other content, and leaves it and the summary alone", async () => {
    s3.on(PutObjectCommand, { Key: documentKey }).rejects(s3Error("PreconditionFailed", 412));
    s3.on(GetObjectCommand, { Key: documentKey }).resolves({ Body: s3Body(JSON.stringify({ ...document, collectedAt: "2027-01-11T08:00:00.000Z" })) });
    await expect(store()).rejects.toMatchObject({ name: "EvidenceAlreadyWritten" });
    expect(puts().map((p) => p.Key)).toEqual([documentKey]);
  });

  it("takes the document written by an earlier attempt of the same run, and lists it in the summary once", async () => {
    s3.on(PutObjectCommand, { Key: documentKey }).rejects(s3Error("PreconditionFailed", 412));
    s3.on(GetObjectCommand, { Key: documentKey }).resolves({ Body: s3Body(JSON.stringify(document)) });
    const listed = nextSummary(undefined, document, documentKey);
    s3.on(GetObjectCommand, { Key: summaryKey }).resolves({ Body: s3Body(JSON.stringify(listed)), ETag: '"etag-2"' });
    expect(await store()).toBe(documentKey);
    expect(puts().map((p) => p.Key)).toEqual([documentKey]);
  });

  it("has the state machine retry when the summary changed since it was read, or another write of the document was under way", async () => {
    s3.on(GetObjectCommand, { Key: summaryKey }).resolves({
      Body: s3Body(JSON.stringify(nextSummary(undefined, { ...document, id: "preprod/x" }, "x"))),
      ETag: '"e"',
    });
    s3.on(PutObjectCommand, { Key: summaryKey }).rejects(s3Error("PreconditionFailed", 412));
    await expect(store()).rejects.toMatchObject({ name: "TransientAwsError" });
    s3.on(PutObjectCommand, { Key: documentKey }).rejects(s3Error("ConditionalRequestConflict", 409));
    await expect(store()).rejects.toMatchObject({ name: "TransientAwsError" });
  });

  it("says why the summary could not be read when it exists after all", async () => {
    s3.on(GetObjectCommand, { Key: summaryKey }).rejects(s3Error("AccessDenied", 403));
    s3.on(PutObjectCommand, { Key: summaryKey }).rejects(s3Error("PreconditionFailed", 412));
    await expect(store()).rejects.toThrow(`cannot read s3://${bucket}/${summaryKey} to add ${document.id} to it: AccessDenied`);
  });
});
