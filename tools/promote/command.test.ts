import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evidenceKeys, type EvidenceSummary } from "../../contracts/evidence.js";
import { promotionRecordSchema } from "../../contracts/promotion-record.js";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleWith } from "../../test/support/config.js";
import { EVIDENCE_FIXTURE, fixtureRecord, PROMOTED_AT, shiftedEvidenceText } from "../../test/support/promotion.js";
import { scratchFolders } from "../../test/support/scratch.js";
import { promoteCommand } from "./command.js";

const scratch = scratchFolders("patchline-promote-");
const DAY_MS = 86_400_000;
const BUCKET = "patchline-evidence-100000000001-us-east-1";

/** A repository folder with the evidence fixture at its usual path. */
function repository(): string {
  const cwd = scratch.folder();
  mkdirSync(join(cwd, "test/fixtures/evidence"), { recursive: true });
  copyFileSync(EVIDENCE_FIXTURE, join(cwd, EVIDENCE_FIXTURE));
  return cwd;
}

async function run(argv: string[], options: { input?: OrgConfigInput; cwd?: string; objects?: Record<string, string>; now?: Date } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const reads: string[] = [];
  const cwd = options.cwd ?? repository();
  const code = await promoteCommand(argv, {
    io: { print: (t) => out.push(t), error: (t) => err.push(t), now: () => options.now ?? PROMOTED_AT },
    input: options.input ?? exampleOrganization,
    read: (region) => async (bucket, key) => {
      reads.push(`${region} s3://${bucket}/${key}`);
      const text = options.objects?.[`s3://${bucket}/${key}`];
      if (text === undefined) throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" });
      return text;
    },
    cwd,
  });
  return { code, out: out.join("\n"), err: err.join("\n"), reads, cwd };
}

const promote = ["--from", "preprod", "--to", "prod", "--evidence", EVIDENCE_FIXTURE];
const recordFile = (cwd: string) => join(cwd, "environments/promotions/prod.json");

describe("npm run promote", () => {
  it("writes the record for a pull request and says what it means", async () => {
    const result = await run(promote);
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
    expect(result.out).toMatch(/^prod approves 17 patches that passed preprod on 40 instances/);
    expect(result.out).toContain("wrote environments/promotions/prod.json");
    const written = readFileSync(recordFile(result.cwd), "utf8");
    expect(promotionRecordSchema.parse(JSON.parse(written))).toEqual(fixtureRecord());
    expect(written).toBe(`${JSON.stringify(fixtureRecord(), null, 2)}\n`);
  });

  it("says so when the record cannot be written, and leaves nothing half-written", async () => {
    const cwd = repository();
    mkdirSync(join(cwd, "environments", "promotions", "prod.json"), { recursive: true });
    const result = await run(promote, { cwd });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^cannot write environments\/promotions\/prod\.json: .*; nothing was written$/);
    expect(readdirSync(join(cwd, "environments", "promotions"))).toEqual(["prod.json"]);
  });

  it("prints the record with --dry-run and writes nothing", async () => {
    const result = await run([...promote, "--dry-run"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out.slice(result.out.indexOf("{")))).toEqual(fixtureRecord());
    expect(existsSync(recordFile(result.cwd))).toBe(false);
  });

  it("reads the newest evidence of the summary in the evidence bucket by default", async () => {
    const summary: EvidenceSummary = {
      version: 1,
      environment: "preprod",
      runs: [
        {
          id: "preprod/20261120T080000Z-5e0c9d1a",
          key: evidenceKeys.run("preprod", "20261120T080000Z-5e0c9d1a"),
          collectedAt: "2026-11-20T08:00:41.000Z",
          instances: 40,
          unreachableTargets: 0,
          installed: 150,
          failed: 2,
          missing: 8,
        },
        {
          id: "preprod/20261119T080000Z-0b1c2d3e",
          key: evidenceKeys.run("preprod", "20261119T080000Z-0b1c2d3e"),
          collectedAt: "2026-11-19T08:00:12.000Z",
          instances: 40,
          unreachableTargets: 0,
          installed: 120,
          failed: 2,
          missing: 30,
        },
      ],
    };
    const document = readFileSync(EVIDENCE_FIXTURE, "utf8");
    const result = await run(["--from", "preprod", "--to", "prod", "--dry-run"], {
      objects: { [`s3://${BUCKET}/evidence/preprod/summary.json`]: JSON.stringify(summary), [`s3://${BUCKET}/${summary.runs[0]!.key}`]: document },
    });
    expect(result.err).toBe("");
    expect(result.reads).toEqual([
      `us-east-1 s3://${BUCKET}/evidence/preprod/summary.json`,
      `us-east-1 s3://${BUCKET}/evidence/preprod/runs/20261120T080000Z-5e0c9d1a.json`,
    ]);
    expect(JSON.parse(result.out.slice(result.out.indexOf("{"))).evidence.source).toBe(`s3://${BUCKET}/evidence/preprod/runs/20261120T080000Z-5e0c9d1a.json`);
  });

  it("replaces a record that synth would refuse as too old, from newer evidence", async () => {
    const stale = { ...exampleOrganization, promotions: { prod: fixtureRecord() } };
    const later = new Date(PROMOTED_AT.getTime() + 60 * DAY_MS);
    const cwd = repository();
    writeFileSync(join(cwd, "newer.json"), shiftedEvidenceText(59));
    const result = await run(["--from", "preprod", "--to", "prod", "--evidence", "newer.json"], { input: stale, now: later, cwd });
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(recordFile(result.cwd), "utf8"));
    expect([written.createdAt, written.cutoffDate]).toEqual([later.toISOString(), "2027-01-10"]);
  });

  it("refuses evidence older than the target's records may be", async () => {
    const result = await run(promote, { now: new Date(PROMOTED_AT.getTime() + 60 * DAY_MS) });
    expect(result.code).toBe(1);
    expect(result.err).toContain("was collected 2026-11-20, 61 days ago; prod.promotion.maxRecordAgeDays is 35");
  });

  it("refuses a record synth would not accept, and writes nothing", async () => {
    const full = exampleWith((d) => (d.org.baselines.WINDOWS.rejectedPatches = Array.from({ length: 49 }, (_, i) => `KB40${String(i).padStart(5, "0")}`)));
    const result = await run(promote, { input: full });
    expect(result.code).toBe(1);
    expect(result.err).toContain("promotion of prod refused; synth would not accept this record:");
    expect(result.err).toContain("WINDOWS: 51 rejected patches (the baseline's 49 and 2 held back), more than Patch Manager's 50 per baseline");
    expect(existsSync(recordFile(result.cwd))).toBe(false);
  });

  it.each([
    [["--to", "prod"], "--from: missing: name an environment"],
    [["--from", "preprod", "--to", "qa"], '--to: "qa" is not an environment; configured: dev, preprod, prod'],
    [["--from", "dev", "--to", "prod"], "--from: prod is promoted from preprod (prod.promotion.from), not from dev"],
    [["--from", "dev", "--to", "preprod"], '--to: preprod has no promotion configured; add preprod.promotion = { from: "dev" } to its environment file first'],
    [["--from", "preprod", "--to", "prod", "--evidence", "nowhere.json"], "--evidence: cannot read the evidence file nowhere.json: no such file"],
  ])("refuses %j as bad input", async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.err.split("\n")[0]).toBe(message);
  });

  it("says why the evidence bucket could not be read", async () => {
    const result = await run(["--from", "preprod", "--to", "prod"]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`--evidence: cannot read s3://${BUCKET}/evidence/preprod/summary.json: no such object`);
  });

  it("refuses evidence that is not an evidence document", async () => {
    const result = await run(["--from", "preprod", "--to", "prod", "--evidence", "package.json"], { cwd: process.cwd() });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^promotion of prod refused: package\.json is not a patchline evidence document: /);
  });
});

describe("npm run promote -- --check", () => {
  it("passes a record that is what its evidence and the rules give", async () => {
    const cwd = repository();
    const result = await run(["--check", "--allow-file-evidence"], { cwd, input: { ...exampleOrganization, promotions: { prod: fixtureRecord() } } });
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^environments\/promotions\/prod\.json: holds\. prod approves 17 patches/);
  });

  it("lists what differs from a record edited by hand", async () => {
    const record = fixtureRecord();
    const held = record.heldBack.WINDOWS!.find((p) => p.id === "KB5034439")!;
    record.heldBack.WINDOWS = record.heldBack.WINDOWS!.filter((p) => p !== held);
    record.promoted.WINDOWS!.push({ ...held, failed: 0, installed: 8 });
    const result = await run(["--check", "--allow-file-evidence"], { input: { ...exampleOrganization, promotions: { prod: record } } });
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      [
        "environments/promotions/prod.json: does not match its evidence and the rules; run npm run promote -- --from preprod --to prod:",
        "  WINDOWS: KB5034439 is promoted in the record, not by the evidence and rules",
        "  WINDOWS: KB5034439 would be held back, the record does not list it so",
      ].join("\n"),
    );
  });

  it("catches a field edited by hand that the install override list or the review would use", async () => {
    const record = fixtureRecord();
    const kernel = record.promoted.AMAZON_LINUX_2023!.find((p) => p.kbId === "kernel.x86_64")!;
    kernel.title = "kernel.x86_64:0:6.1.999-1.amzn2023";
    record.heldBack.WINDOWS!.find((p) => p.id === "KB5034439")!.detail = "looked fine";
    const result = await run(["--check", "--allow-file-evidence"], { input: { ...exampleOrganization, promotions: { prod: record } } });
    expect(result.code).toBe(1);
    expect(result.err.split("\n").slice(1)).toEqual([
      '  AMAZON_LINUX_2023: kernel-6.1.158-180.294.amzn2023.x86_64: title "kernel.x86_64:0:6.1.999-1.amzn2023" in the record, "kernel.x86_64:0:6.1.158-180.294.amzn2023" from the evidence',
      '  WINDOWS: KB5034439: detail "looked fine" in the record, "failed on 2 of 8 instances (25 %); maxFailureRate allows 5 %" from the evidence',
    ]);
  });

  it("fails a record synth would refuse, before reading any evidence", async () => {
    const result = await run(["--check"], {
      input: { ...exampleOrganization, promotions: { prod: fixtureRecord() } },
      now: new Date(PROMOTED_AT.getTime() + 40 * DAY_MS),
    });
    expect(result.code).toBe(1);
    expect(result.err).toContain("written 2026-11-21, 40 days ago; prod.promotion.maxRecordAgeDays is 35");
    expect(result.reads).toEqual([]);
  });

  it("fails a record whose evidence cannot be read any more, saying where it looked", async () => {
    const gone = `s3://${BUCKET}/evidence/preprod/runs/20261120T080000Z-5e0c9d1a.json`;
    const record = { ...fixtureRecord(), evidence: { ...fixtureRecord().evidence, source: gone } };
    const result = await run(["--check"], { input: { ...exampleOrganization, promotions: { prod: record } } });
    expect(result.code).toBe(1);
    expect(result.err).toBe(`environments/promotions/prod.json: cannot check against ${gone}: cannot read ${gone}: no such object`);
  });

  it("checks a record made from the evidence bucket, and refuses one made from a file, for a pull request", async () => {
    const key = "evidence/preprod/runs/20261120T080000Z-5e0c9d1a.json";
    const objects = { [`s3://${BUCKET}/${key}`]: readFileSync(EVIDENCE_FIXTURE, "utf8") };
    const made = await run(["--from", "preprod", "--to", "prod", "--evidence", `s3://${BUCKET}/${key}`, "--dry-run"], { objects });
    const fromBucket = JSON.parse(made.out.slice(made.out.indexOf("{")));
    const checked = await run(["--check"], { objects, input: { ...exampleOrganization, promotions: { prod: fromBucket } } });
    expect(checked.err).toBe("");
    expect(checked.code).toBe(0);

    const fromFile = await run(["--check"], { input: { ...exampleOrganization, promotions: { prod: fixtureRecord() } } });
    expect(fromFile.code).toBe(1);
    expect(fromFile.err).toBe(
      `environments/promotions/prod.json: its evidence test/fixtures/evidence/preprod.json is not the compliance run's: a record to merge is made from the run's document in the evidence bucket (under Object Lock), s3://${BUCKET}/${key}; run npm run promote -- --from preprod --to prod without --evidence`,
    );
    // the record made from the file says so when it is written
    expect((await run(promote)).out).toContain("note: the evidence is a file (test/fixtures/evidence/preprod.json)");
  });

  it("says when there is nothing to check", async () => {
    expect(await run(["--check"])).toMatchObject({ code: 0, out: "no promotion records to check" });
  });
});
