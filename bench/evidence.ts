import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GCProfiler } from "node:v8";
import { STSClient } from "@aws-sdk/client-sts";
import type { Target } from "../contracts/compliance-model.js";
import { evidenceKeys, parseEvidencePart } from "../contracts/evidence.js";
import { parseOrgConfig } from "../environments/schema/index.js";
import { collectTarget, type CollectorOutput } from "../functions/compliance/collector/run.js";
import { writeReport } from "../functions/compliance/report/run.js";
import { mapWithConcurrency } from "../functions/shared/concurrency.js";
import { FakeEvidenceAccount } from "../test/support/fake-evidence-account.js";
import { exampleOrganization } from "../test/fixtures/organizations/example/index.js";
import { mapRunObjects } from "../test/support/map-run.js";
import { decidePromotion } from "../tools/promote/decide.js";
import { readEvidence } from "../tools/promote/source.js";
import { Fakes, rules } from "./collection.js";
import { collectGarbage } from "./compliance-run.js";
import { reportAndEvidenceBuckets } from "./evidence-bucket.js";
import { evidenceClients, evidenceFleet, type OperatingSystem, type ReportedExtras, weeklyWindow } from "./evidence-fleet.js";
import { VirtualClock } from "./virtual-clock.js";

/**
 * Evidence-gated promotion at scale, in three steps of its path: the collector on one target of an
 * evidence environment (every call answered by test/support/fake-evidence-account.ts after
 * collection.ts's LATENCY_MS, in simulated time); the report step joining 10,000 instances' parts
 * into one document and storing it (the real writeReport, buckets in memory with the same
 * latency); and `npm run promote`'s reading of that document and decidePromotion on it.
 */

/** The example organization promotes prod from preprod, whose one window is preprod-weekly. */
const FROM = "preprod";
const TO = "prod";
const WINDOW = "preprod-weekly";
const REPORTS = "patchline-reports";
const EVIDENCE = "patchline-evidence-100000000001-us-east-1";
const RUN_ID = "bench";
const COLLECTED_AT = new Date("2026-11-20T07:00:05.000Z");
/** A day after the run: when promote is run. */
const PROMOTED_AT = new Date("2026-11-21T09:00:00.000Z");
const MB = 1024 * 1024;

const LINUX: readonly OperatingSystem[] = ["AMAZON_LINUX_2023", "AMAZON_LINUX_2", "REDHAT_ENTERPRISE_LINUX", "UBUNTU"];
/** What AWS lists besides the kept states: Windows a dozen InstalledOther and some other products' updates; Linux approved advisories of packages not installed. */
const usual = (os: OperatingSystem): ReportedExtras =>
  os === "WINDOWS" ? { installedOther: 12, notApplicable: 90 } : { installedOther: 0, notApplicable: 280 };

export interface FleetMix {
  readonly name: string;
  readonly osOf: (n: number) => OperatingSystem;
  readonly extrasOf: (os: OperatingSystem) => ReportedExtras;
}

export const fleetMixes: readonly FleetMix[] = [
  { name: "Windows Server 2022 (30 kept + 12 InstalledOther + 90 NotApplicable)", osOf: () => "WINDOWS", extrasOf: usual },
  { name: "Amazon Linux 2023 (30 kept + 280 NotApplicable)", osOf: () => "AMAZON_LINUX_2023", extrasOf: usual },
  { name: "half Windows, half Linux (AL2023, AL2, RHEL 9, Ubuntu)", osOf: (n) => (n % 2 === 0 ? "WINDOWS" : LINUX[(n >> 1) % 4]!), extrasOf: usual },
  {
    name: "Linux, long NotApplicable lists (30 kept + 1,200 NotApplicable)",
    osOf: () => "AMAZON_LINUX_2023",
    extrasOf: () => ({ installedOther: 0, notApplicable: 1200 }),
  },
];

const target = (t: number): Target => ({
  accountId: String(300_000_000_000 + (t >> 1)),
  accountName: `account-${t >> 1}`,
  environment: FROM,
  region: t % 2 === 0 ? "us-east-1" : "eu-west-1",
  source: "config",
});

const collectorInput = (t: Target) => ({
  runId: RUN_ID,
  target: t,
  roleArn: `arn:aws:iam::${t.accountId}:role/patchline-compliance-reader`,
  coverageRules: [...rules].map(([ruleName, check]) => ({ ruleName, check })),
  ownerTagKey: "Owner",
  patchGroupTagKey: "Patch Group" as const,
  evidence: { windowNames: [WINDOW] },
});

class FakeSts extends STSClient {
  constructor(private readonly fakes: Fakes) {
    super({ region: "us-east-1" });
  }
  override send(): Promise<never> {
    return this.fakes.answer("sts:AssumeRole", () => ({
      Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date(0) },
    })) as Promise<never>;
  }
}

/**
 * The growth of this process's JS heap above a collected baseline while `work` runs: sampled every
 * 5 ms as the compliance-run benchmark does, and read before each garbage collection
 * (v8.GCProfiler), which catches the peaks of synchronous work (JSON.parse, JSON.stringify) that a
 * timer cannot see. The larger of the two; and the seconds `work` took, the collection before it
 * not counted.
 */
async function heapGrowth<T>(work: () => Promise<T>): Promise<{ value: T; heapMb: number; seconds: number }> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().heapUsed - before));
  const sampler = setInterval(sample, 5);
  const profiler = new GCProfiler();
  profiler.start();
  let value: T;
  const started = performance.now();
  let seconds: number;
  try {
    value = await work();
    seconds = (performance.now() - started) / 1000;
    sample();
  } finally {
    clearInterval(sampler);
    for (const gc of profiler.stop()?.statistics ?? []) peak = Math.max(peak, gc.beforeGC.heapStatistics.usedHeapSize - before);
  }
  return { value, heapMb: peak / MB, seconds };
}

export interface CollectorMeasurement {
  readonly mix: string;
  readonly instances: number;
  /** Patches DescribeInstancePatches lists per instance, on average (every state). */
  readonly reportedPatches: number;
  readonly callsByApi: Readonly<Record<string, number>>;
  readonly totalCalls: number;
  readonly simulatedSeconds: number;
  readonly realSeconds: number;
  readonly heapMb: number;
  readonly partMib: number;
}

/** The collector (compliance and evidence) on one target of `instances` instances of the mix. */
export async function collectOneTarget(mix: FleetMix, instances: number): Promise<CollectorMeasurement> {
  const fleet = evidenceFleet(0, instances, mix.osOf, mix.extrasOf, COLLECTED_AT);
  const account = new FakeEvidenceAccount(fleet, [weeklyWindow(WINDOW, instances, COLLECTED_AT)]);
  const clock = new VirtualClock();
  const fakes = new Fakes(clock, new Map());
  const written = new Map<string, string>();
  class FakeS3 extends S3Client {
    override send(command: unknown): Promise<never> {
      if (!(command instanceof PutObjectCommand)) throw new Error("the collector only writes");
      return fakes.answer("s3:PutObject", () => written.set(String(command.input.Key), String(command.input.Body))) as Promise<never>;
    }
  }
  const t = target(0);
  const {
    value: output,
    heapMb,
    seconds: realSeconds,
  } = await heapGrowth(() =>
    clock.run(() =>
      collectTarget(
        {
          sts: new FakeSts(fakes),
          s3: new FakeS3({ region: "us-east-1" }),
          clientsFor: () => evidenceClients(fakes, account),
          bucket: REPORTS,
          now: () => COLLECTED_AT,
        },
        collectorInput(t),
      ),
    ),
  );
  const text = written.get(output.evidenceKey ?? "");
  if (!text) throw new Error(`the collector wrote no evidence part (${output.status})`);
  const part = parseEvidencePart(JSON.parse(text), "the part");
  if (part.target.status !== "ok" || part.instances.length !== instances)
    throw new Error(`the part holds ${part.instances.length} of ${instances} instances (${part.target.reason})`);
  return {
    mix: mix.name,
    instances,
    reportedPatches: fleet.reduce((n, i) => n + (i.patches?.length ?? 0), 0) / instances,
    callsByApi: Object.fromEntries([...fakes.calls].sort(([a], [b]) => a.localeCompare(b))),
    totalCalls: [...fakes.calls.values()].reduce((n, c) => n + c, 0),
    simulatedSeconds: clock.now / 1000,
    realSeconds,
    heapMb,
    partMib: Buffer.byteLength(text) / MB,
  };
}

/**
 * The instance count at which one target's collection takes `seconds`: the collection is linear
 * in the instances (pages of one instance's patches, four instances at a time), so two sizes fix it.
 */
export function instancesReaching(seconds: number, at: readonly [CollectorMeasurement, CollectorMeasurement]): number {
  const [small, large] = at;
  const perInstance = (large.simulatedSeconds - small.simulatedSeconds) / (large.instances - small.instances);
  const fixed = small.simulatedSeconds - perInstance * small.instances;
  // rounded down to a hundred: the largest round fleet that still fits
  return Math.floor((seconds - fixed) / perInstance / 100) * 100;
}

export interface ReportMeasurement {
  readonly targets: number;
  readonly instances: number;
  readonly withEvidence: boolean;
  readonly simulatedSeconds: number;
  readonly realSeconds: number;
  readonly heapMb: number;
  readonly documentMib?: number;
  readonly evidenceKey?: string;
}

export interface PromoteMeasurement {
  readonly instances: number;
  readonly readSeconds: number;
  readonly decideSeconds: number;
  /** JS heap growth while reading (text, JSON, the schema's copy), what stays of it (the document), and the growth while deciding on top. */
  readonly readHeapMb: number;
  readonly documentHeapMb: number;
  readonly decideHeapMb: number;
  readonly promoted: number;
  readonly heldBack: number;
}

/**
 * A run over one evidence environment of `targets` × `perTarget` instances (Windows, Amazon Linux
 * 2023 and 2, RHEL 9, Ubuntu in turn): the real collector writes each target's result and part,
 * the report step runs without evidence and then with it, and promote reads the stored document
 * and decides prod's promotion from it.
 */
export async function reportAndPromote(targets: number, perTarget: number): Promise<{ reports: ReportMeasurement[]; promote: PromoteMeasurement }> {
  const os: OperatingSystem[] = ["WINDOWS", "AMAZON_LINUX_2023", "AMAZON_LINUX_2", "REDHAT_ENTERPRISE_LINUX", "UBUNTU"];
  const list = Array.from({ length: targets }, (_, t) => target(t));
  const accounts = list.map(
    (_, t) =>
      new FakeEvidenceAccount(
        evidenceFleet(t, perTarget, (n) => os[(t + n) % os.length]!, usual, COLLECTED_AT),
        [weeklyWindow(WINDOW, perTarget, COLLECTED_AT)],
      ),
  );
  const clock = new VirtualClock();
  const fakes = new Fakes(clock, new Map());
  const reports = new Map<string, string | Buffer>();
  const evidence = new Map<string, { body: Buffer; etag: string }>();
  const s3 = reportAndEvidenceBuckets(fakes, reports, EVIDENCE, evidence);
  const sts = new FakeSts(fakes);
  const outputs: CollectorOutput[] = await clock.run(() =>
    mapWithConcurrency(list, 100, (t, i) =>
      collectTarget({ sts, s3, clientsFor: () => evidenceClients(fakes, accounts[i]!), bucket: REPORTS, now: () => COLLECTED_AT }, collectorInput(t)),
    ),
  );
  if (outputs.some((o) => !o.evidenceKey)) throw new Error("a target has no evidence part");
  const map = mapRunObjects(
    REPORTS,
    list.map((t, i) => ({ input: { runId: RUN_ID, target: t }, status: "SUCCEEDED" as const, output: outputs[i]! })),
    1000,
  );
  for (const [key, text] of map.objects) reports.set(key, text);

  const measured: ReportMeasurement[] = [];
  for (const withEvidence of [false, true]) {
    const simulatedFrom = clock.now;
    const {
      value: output,
      heapMb,
      seconds: realSeconds,
    } = await heapGrowth(() =>
      clock.run(() =>
        writeReport(
          {
            s3,
            bucket: REPORTS,
            region: "us-east-1",
            now: () => COLLECTED_AT,
            environmentOrder: ["dev", FROM, TO],
            digestChannels: [],
            allClear: false,
            ...(withEvidence && { evidence: { bucket: EVIDENCE, environments: [FROM] } }),
          },
          { runId: RUN_ID, startedAt: COLLECTED_AT.toISOString(), warnings: [], results: map.details },
        ),
      ),
    );
    const evidenceKey = output.evidenceKeys[0];
    measured.push({
      targets,
      instances: targets * perTarget,
      withEvidence,
      simulatedSeconds: (clock.now - simulatedFrom) / 1000,
      realSeconds,
      heapMb,
      ...(evidenceKey && { evidenceKey, documentMib: evidence.get(evidenceKey)!.body.length / MB }),
    });
  }
  if (!measured[1]!.evidenceKey) throw new Error("the report stored no evidence document");
  return { reports: measured, promote: await promote(evidence, targets * perTarget) };
}

/** `npm run promote -- --from preprod --to prod` without --evidence: the summary, then its newest document, then the decision. */
async function promote(evidence: ReadonlyMap<string, { body: Buffer }>, instances: number): Promise<PromoteMeasurement> {
  const config = parseOrgConfig(exampleOrganization, { now: PROMOTED_AT });
  const env = (name: string) => config.environments.find((e) => e.name === name)!;
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  const readObject = async (_bucket: string, key: string) => {
    const object = evidence.get(key);
    if (!object) throw new Error(`no object ${key}`);
    return object.body.toString("utf8");
  };
  if (!evidence.has(evidenceKeys.summary(FROM))) throw new Error("no evidence summary of preprod");
  const read = await heapGrowth(() => readEvidence({ from: FROM, evidenceBucket: EVIDENCE, read: readObject, cwd: process.cwd() }));
  // what reading leaves behind: the parsed document, which deciding works on
  collectGarbage();
  const retained = process.memoryUsage().heapUsed;
  const decided = await heapGrowth(async () => decidePromotion({ evidence: read.value, from: env(FROM), to: env(TO), now: PROMOTED_AT }));
  const record = decided.value;
  if (record.evidence.instances !== instances) throw new Error(`the record names ${record.evidence.instances} instances, not ${instances}`);
  const count = (lists: Record<string, readonly unknown[]>) => Object.values(lists).reduce((n, l) => n + l.length, 0);
  return {
    instances,
    readSeconds: read.seconds,
    decideSeconds: decided.seconds,
    readHeapMb: read.heapMb,
    documentHeapMb: (retained - baseline) / MB,
    decideHeapMb: decided.heapMb,
    promoted: count(record.promoted),
    heldBack: count(record.heldBack),
  };
}
