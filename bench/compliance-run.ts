import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { runKeys, type Target } from "../contracts/compliance-model.js";
import { historyKey, type HistoryEnvironmentLine } from "../contracts/compliance-history.js";
import { jsonLines } from "../functions/compliance/report/history.js";
import { collectTarget } from "../functions/compliance/collector/run.js";
import { writeReport } from "../functions/compliance/report/run.js";
import { mapWithConcurrency } from "../functions/shared/concurrency.js";
import { COLLECT_STATE, complianceDefinition } from "../stacks/compliance/definition.js";
import { emulateDistributedMap } from "../test/support/distributed-map.js";
import { FakeMemberAccount, generateFleet } from "../test/support/fake-member-account.js";
import { executeLocally } from "../test/support/local-state-machine.js";
import { mapRunObjects } from "../test/support/map-run.js";
import { Fakes, instanceId, rules } from "./collection.js";
import { VirtualClock } from "./virtual-clock.js";

/**
 * A whole compliance run at 10,000 accounts × 3 regions in simulated time: the Distributed Map's
 * children (the real collector against in-process fakes of every account, each call answered
 * after collection.ts's LATENCY_MS) at the configured MaxConcurrency, then the real report function reading the
 * map run's result files and every target's result from an in-memory S3 with the same latency.
 */
export const CHILD_START_MS = 100; // a child execution's start and its Lambda invoke, before the collector's first call
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const BUCKET = "patchline-reports";
const RUN_ID = "bench";
// the report's memory is measured from a collected heap: V8's gc, exposed to this process
setFlagsFromString("--expose-gc");
export const collectGarbage = runInNewContext("gc") as () => void;

/** Step Functions Standard, us-east-1: USD per state transition (0.025 per 1,000). */
const USD_PER_TRANSITION = 0.025 / 1000;

export interface ComplianceRunMeasurement {
  readonly accounts: number;
  readonly targets: number;
  readonly instancesPerTarget: number;
  readonly maxConcurrency: number;
  readonly collectSimulatedSeconds: number;
  readonly reportSimulatedSeconds: number;
  readonly realSeconds: number;
  readonly callsByApi: Readonly<Record<string, number>>;
  /** Calls per simulated second at the busiest: what the central account's STS and the reports bucket see. */
  readonly assumeRolePerSecond: number;
  readonly transitions: number;
  readonly usdPerRun: number;
  readonly reportHeapMb: number;
  readonly findings: number;
  readonly csvMb: number;
  /** The run's history_targets object: one line per account-region. */
  readonly historyTargetsMb: number;
}

/** The runs the report's trend shows (org.compliance.trendRuns' default): the report reads the 29 before this one. */
const TREND_RUNS = 30;

/** The history as it stands after a run a day: the environment lines of the earlier runs, in the same bucket here (keys apart). */
function earlierRuns(objects: Map<string, string | Buffer>): void {
  for (let d = 1; d < TREND_RUNS; d++) {
    const startedAt = new Date(Date.UTC(2027, 0, 11 - d, 7)).toISOString();
    const run = { runId: `earlier-${d}`, startedAt };
    const line = (environment: string): HistoryEnvironmentLine => ({
      run_id: run.runId,
      started_at: startedAt,
      environment,
      targets: 10_000,
      unreachable: 0,
      managed: 200_000,
      compliant: 160_000 - d * 100,
      non_compliant: 40_000 + d * 100,
      pending_reboot: 0,
      failed: 0,
      not_covered: 0,
      sla_breaches: 0,
    });
    objects.set(historyKey("environments", run), jsonLines(["dev", "preprod", "prod"].map(line)));
  }
}

/** The reports bucket in memory: objects kept, multipart uploads assembled, every call counted and delayed. */
export function reportsBucket(fakes: Fakes, objects: Map<string, string | Buffer>) {
  const uploads = new Map<string, Buffer[]>();
  class FakeS3 extends S3Client {
    override send(command: unknown): Promise<never> {
      const input = (command as { input: Record<string, unknown> }).input;
      const key = String(input.Key);
      if (command instanceof GetObjectCommand)
        return fakes.answer("s3:GetObject", () => {
          const text = objects.get(key);
          if (text === undefined) throw Object.assign(new Error(`no object ${key}`), { name: "NoSuchKey" });
          return { Body: { transformToString: async () => String(text) } };
        }) as Promise<never>;
      if (command instanceof ListObjectsV2Command)
        return fakes.answer("s3:ListObjectsV2", () => {
          const keys = [...objects.keys()].filter((k) => k.startsWith(String(input.Prefix ?? ""))).sort();
          const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
          const end = start + 1000;
          return {
            Contents: keys.slice(start, end).map((Key) => ({ Key })),
            IsTruncated: end < keys.length,
            NextContinuationToken: end < keys.length ? String(end) : undefined,
          };
        }) as Promise<never>;
      if (command instanceof PutObjectCommand)
        return fakes.answer("s3:PutObject", () => {
          if (input.IfNoneMatch === "*" && objects.has(key))
            throw Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), {
              name: "PreconditionFailed",
              $metadata: { httpStatusCode: 412 },
            });
          objects.set(key, Buffer.isBuffer(input.Body) ? input.Body : String(input.Body));
          return {};
        }) as Promise<never>;
      if (command instanceof CreateMultipartUploadCommand)
        return fakes.answer("s3:CreateMultipartUpload", () => {
          uploads.set(key, []);
          return { UploadId: key };
        }) as Promise<never>;
      if (command instanceof UploadPartCommand)
        return fakes.answer("s3:UploadPart", () => {
          uploads.get(key)![Number(input.PartNumber) - 1] = Buffer.from(input.Body as Uint8Array);
          return { ETag: `"${input.PartNumber}"` };
        }) as Promise<never>;
      if (command instanceof CompleteMultipartUploadCommand)
        return fakes.answer("s3:CompleteMultipartUpload", () => {
          objects.set(key, Buffer.concat(uploads.get(key)!));
          return {};
        }) as Promise<never>;
      throw new Error(`the fake reports bucket answers no ${(command as object).constructor.name}`);
    }
  }
  return new FakeS3({ region: "us-east-1" });
}

/** State transitions of one run, from the definition executed locally: the parent's, and one child's. */
async function transitionsPerRun(targets: number): Promise<number> {
  const arn = (name: string) => `arn:aws:lambda:us-east-1:100000000001:function:patchline-${name}`;
  const definition = complianceDefinition({
    functions: {
      targets: arn("compliance-targets"),
      collector: arn("compliance-collector"),
      report: arn("compliance-report"),
      digest: arn("compliance-digest"),
    },
    bucket: BUCKET,
    maxConcurrency: 100,
    toleratedFailurePercentage: 5,
  });
  const objects = new Map<string, string>();
  const emulation = emulateDistributedMap(definition, COLLECT_STATE, objects, { Collect: () => ({ status: "ok", resultKey: "k", counts: {} }) });
  const channel = { name: "platform-teams", type: "teams", destination: "patchline/chat/platform-teams" };
  const parent = await executeLocally(
    emulation.definition,
    {},
    {
      tasks: {
        ...emulation.tasks,
        ListTargets: () => {
          objects.set(runKeys.targets(RUN_ID), JSON.stringify([{}]));
          return { runId: RUN_ID, startedAt: "s", bucket: BUCKET, targetsKey: runKeys.targets(RUN_ID), targetCount: 1, warnings: [] };
        },
        WriteReport: () => ({ sendDigest: true, digestChannels: [channel], keys: {}, bucket: BUCKET, consoleUrl: "u", trend: { changes: [], warnings: [] } }),
        Deliver: () => ({ channel: channel.name, messages: 3 }),
      },
      context: { Execution: { Id: "arn:aws:states:us-east-1:100000000001:execution:patchline-compliance:bench", StartTime: "s" } },
    },
  );
  // the emulation ran the run's one child as its own execution: the parent's path holds only its own states
  const [child] = emulation.children;
  if (parent.status !== "SUCCEEDED" || child?.status !== "SUCCEEDED") throw new Error("the run did not succeed in the local emulation");
  return parent.path.length + targets * child.path.length;
}

export async function complianceRunBenchmark(options: {
  accounts: number;
  instancesPerTarget: number;
  concurrencies: readonly number[];
}): Promise<ComplianceRunMeasurement[]> {
  const targets: Target[] = [];
  const accounts = new Map<string, FakeMemberAccount>();
  for (let a = 0; a < options.accounts; a++)
    for (const region of REGIONS) {
      const accountId = String(400_000_000_000 + a);
      targets.push({ accountId, accountName: `account-${a}`, environment: a % 3 === 0 ? "dev" : a % 3 === 1 ? "preprod" : "prod", region, source: "config" });
      accounts.set(
        `${accountId}/${region}`,
        new FakeMemberAccount(
          generateFleet(options.instancesPerTarget, "i-0", { nonCompliantEvery: 5 }).map((instance, n) => ({
            ...instance,
            id: instanceId(targets.length - 1, n),
          })),
        ),
      );
    }
  const transitions = await transitionsPerRun(targets.length);
  const rows: ComplianceRunMeasurement[] = [];
  for (const maxConcurrency of options.concurrencies) {
    const clock = new VirtualClock();
    const fakes = new Fakes(clock, accounts);
    const objects = new Map<string, string | Buffer>();
    const s3 = reportsBucket(fakes, objects);
    let assumeRoleWindow: number[] = [];
    let assumeRolePeak = 0;
    class FakeSts extends STSClient {
      override send(): Promise<never> {
        // calls within the last simulated second
        assumeRoleWindow = [...assumeRoleWindow.filter((at) => at > clock.now - 1000), clock.now];
        assumeRolePeak = Math.max(assumeRolePeak, assumeRoleWindow.length);
        return fakes.answer("sts:AssumeRole", () => ({
          Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date(0) },
        })) as Promise<never>;
      }
    }
    const sts = new FakeSts({ region: "us-east-1" });
    const started = performance.now();
    const summaries = await clock.run(() =>
      mapWithConcurrency(targets, maxConcurrency, async (target) => {
        await clock.sleep(CHILD_START_MS);
        return collectTarget(
          { sts, s3, clientsFor: () => fakes.clients(`${target.accountId}/${target.region}`), bucket: BUCKET, now: () => new Date(0) },
          {
            runId: RUN_ID,
            target,
            roleArn: `arn:aws:iam::${target.accountId}:role/patchline-compliance-reader`,
            coverageRules: [...rules].map(([ruleName, check]) => ({ ruleName, check })),
            ownerTagKey: "Owner",
            patchGroupTagKey: "Patch Group",
          },
        );
      }),
    );
    const collectSimulatedSeconds = clock.now / 1000;
    // what the ResultWriter writes: every child's input and output, in result files
    const map = mapRunObjects(
      BUCKET,
      targets.map((target, i) => ({ input: { runId: RUN_ID, target }, status: "SUCCEEDED" as const, output: summaries[i]! })),
      1000,
    );
    for (const [key, text] of map.objects) objects.set(key, text);
    earlierRuns(objects);

    let heapPeak = 0;
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore)), 5);
    const reportStarted = clock.now;
    const report = await clock
      .run(() =>
        writeReport(
          {
            s3,
            bucket: BUCKET,
            region: "us-east-1",
            now: () => new Date(0),
            environmentOrder: ["dev", "preprod", "prod"],
            digestChannels: [],
            allClear: false,
            history: { bucket: BUCKET, runs: TREND_RUNS },
          },
          { runId: RUN_ID, startedAt: "2027-01-11T07:00:00Z", warnings: [], results: map.details },
        ),
      )
      .finally(() => clearInterval(sampler));
    const csv = objects.get(report.keys.csv)!;
    rows.push({
      accounts: options.accounts,
      targets: targets.length,
      instancesPerTarget: options.instancesPerTarget,
      maxConcurrency,
      collectSimulatedSeconds,
      reportSimulatedSeconds: (clock.now - reportStarted) / 1000,
      realSeconds: (performance.now() - started) / 1000,
      callsByApi: Object.fromEntries([...fakes.calls].sort(([a], [b]) => a.localeCompare(b))),
      assumeRolePerSecond: assumeRolePeak,
      transitions,
      usdPerRun: transitions * USD_PER_TRANSITION,
      reportHeapMb: heapPeak / 1024 / 1024,
      findings: report.counts.nonCompliant,
      csvMb: Buffer.byteLength(csv) / 1024 / 1024,
      historyTargetsMb: Buffer.byteLength(objects.get(historyKey("targets", { runId: RUN_ID, startedAt: "2027-01-11T07:00:00Z" }))!) / 1024 / 1024,
    });
  }
  return rows;
}
