import { describe, expect, it } from "vitest";
import { runKeys, zeroCounts, type Target, type TargetCounts } from "../../contracts/compliance-model.js";
import { mapRunResults } from "../../functions/compliance/report/map-results.js";
import type { MapResult } from "../../functions/compliance/shared/schemas.js";
import { emulateDistributedMap } from "../../test/support/distributed-map.js";
import { executeLocally, taskError, type LocalExecution, type TaskHandler } from "../../test/support/local-state-machine.js";
import { assertValidDefinition } from "../core/asl.js";
import { COLLECT_STATE, complianceDefinition } from "./definition.js";

const arn = (name: string) => `arn:aws:lambda:us-east-1:100000000001:function:patchline-${name}`;
const BUCKET = "patchline-reports";
const definition = complianceDefinition({
  functions: { targets: arn("compliance-targets"), collector: arn("compliance-collector"), report: arn("compliance-report"), digest: arn("compliance-digest") },
  bucket: BUCKET,
  maxConcurrency: 10,
  toleratedFailurePercentage: 5,
});

const runId = "20270111T070000Z-1a2b3c4d";
const target = (accountId: string, region = "us-east-1", environment = "prod"): Target => ({
  accountId,
  accountName: `account-${accountId}`,
  environment,
  region,
  source: "config",
});
const targets = [target("400000000001"), target("400000000002"), target("400000000002", "eu-west-1"), target("200000000001", "us-east-1", "dev")];
const channels = [
  { name: "platform-teams", type: "teams", destination: "patchline/chat/platform-teams" },
  { name: "patching-mail", type: "email", destination: "arn:aws:sns:us-east-1:100000000001:patchline-channel-patching-mail" },
];

type Payload = Record<string, unknown>;

/** Step Functions' limit on a state's input and output. */
const STATE_PAYLOAD_LIMIT = 256 * 1024;

const context = { Execution: { Id: "arn:aws:states:us-east-1:100000000001:execution:patchline-compliance:run-1", StartTime: "2027-01-11T07:00:00.000Z" } };
const CHILD_TASKS = ["Collect"];

/** A run of the whole definition: the Distributed Map emulated over `s3`, its children's calls and retries counted with the parent's. */
async function execute(input: unknown, tasks: Record<string, TaskHandler>, s3: Map<string, string>): Promise<LocalExecution> {
  const childTasks = Object.fromEntries(Object.entries(tasks).filter(([name]) => CHILD_TASKS.includes(name)));
  const emulation = emulateDistributedMap(definition, COLLECT_STATE, s3, childTasks);
  const run = await executeLocally(emulation.definition, input, { tasks: { ...tasks, ...emulation.tasks }, context });
  const calls = new Map([...run.calls, ...emulation.childCalls]);
  return { ...run, calls, retried: [...run.retried, ...emulation.children.flatMap((c) => c.retried)] };
}
const lambda =
  (fn: (payload: Payload, call: number) => unknown): TaskHandler =>
  async (input, call) =>
    fn(input as Payload, call);

const counts = (c: Partial<TargetCounts>): TargetCounts => ({ ...zeroCounts, managed: 10, compliant: 10, ...c });

/** The run's Lambdas as stand-ins: S3 is a Map, the report sums what the collectors wrote. */
function fakeRun(
  options: {
    collect?: (t: Target, call: number) => Payload;
    allClear?: boolean;
    deliver?: (channel: string) => void;
    digestChannels?: typeof channels;
    targets?: readonly Target[];
  } = {},
) {
  const s3 = new Map<string, string>();
  const delivered: string[] = [];
  const reported: MapResult[] = [];
  const collect = options.collect ?? ((_target: Target) => ({ status: "ok", counts: counts({}), findings: [] }));
  const tasks: Record<string, TaskHandler> = {
    ListTargets: lambda((p) => {
      const listed = options.targets ?? targets;
      s3.set(runKeys.targets(runId), JSON.stringify(listed));
      return { runId, startedAt: p.startedAt, bucket: BUCKET, targetsKey: runKeys.targets(runId), targetCount: listed.length, warnings: [] };
    }),
    Collect: lambda((p, call) => {
      const t = p.target as Target;
      const result = collect(t, call) as { status: string; counts: TargetCounts; findings?: unknown[] };
      const resultKey = runKeys.targetResult(p.runId as string, t);
      s3.set(resultKey, JSON.stringify({ target: t, ...result }));
      return { status: result.status, resultKey, counts: result.counts };
    }),
    WriteReport: lambda(async (p) => {
      // the report function's own reader of the map run's files
      const read = async (_bucket: string, key: string) => s3.get(key) ?? Promise.reject(new Error(`no object ${key}`));
      for await (const result of mapRunResults(read, p.results as { Bucket: string; Key: string })) reported.push(result);
      const loaded = reported.map((r) =>
        "resultKey" in r
          ? (JSON.parse(s3.get(r.resultKey as string)!) as { status: string; counts: TargetCounts })
          : { status: "unreachable", counts: zeroCounts },
      );
      const total = loaded.reduce((n, r) => n + r.counts.nonCompliant + r.counts.notCovered, 0);
      const hasFindings = total > 0 || loaded.some((r) => r.status === "unreachable");
      const digestChannels = options.digestChannels ?? channels;
      return {
        runId,
        hasFindings,
        allClear: options.allClear ?? false,
        sendDigest: digestChannels.length > 0 && (hasFindings || (options.allClear ?? false)),
        bucket: "patchline-reports",
        keys: { json: `reports/${runId}/report.json`, csv: `reports/${runId}/findings.csv`, html: `reports/${runId}/report.html` },
        consoleUrl: "https://s3.console.aws.amazon.com/...",
        digestChannels,
        trend: {
          changes: [{ environment: "prod", current: { compliancePercent: 70, managed: 10, nonCompliant: 3, unreachable: 0, notCovered: 0, targets: 1 } }],
          warnings: [],
        },
      };
    }),
    Deliver: lambda((p) => {
      const channel = (p.channel as { name: string }).name;
      options.deliver?.(channel);
      delivered.push(channel);
      return { channel, messages: 1 };
    }),
  };
  return { tasks, s3, delivered, reported };
}

/** The fake run's tasks, with the collector throwing for the targets `failure` names an error for. */
function failingFor(tasks: Record<string, TaskHandler>, failure: (t: Target) => Error | undefined): Record<string, TaskHandler> {
  const collect = tasks.Collect!;
  return {
    ...tasks,
    Collect: async (input, call) => {
      const error = failure((input as { target: Target }).target);
      if (error) throw error;
      return collect(input, call);
    },
  };
}

describe("the compliance state machine", () => {
  it("passes asl-validator", () => {
    expect(() => assertValidDefinition("patchline-compliance", definition)).not.toThrow();
  });

  it("collects in a Distributed Map: targets read from S3, one Standard child per target, results written to S3, concurrency and tolerated failures as configured", () => {
    expect(definition.States[COLLECT_STATE]).toMatchObject({
      Type: "Map",
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        ReaderConfig: { InputType: "JSON" },
        Parameters: { "Bucket.$": "$.bucket", "Key.$": "$.targetsKey" },
      },
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } },
      ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: BUCKET, Prefix: "runs/map-results" } },
      MaxConcurrency: 10,
      ToleratedFailurePercentage: 5,
      ResultPath: "$.collected",
    });
  });

  it("ends quietly when everything is compliant, reachable and covered", async () => {
    const { tasks, delivered, s3 } = fakeRun();
    const run = await execute({}, tasks, s3);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.path.at(-1)).toBe("NothingToTell");
    expect(run.calls.get("Collect")).toHaveLength(4);
    expect(delivered).toEqual([]);
  });

  it("sends an all-clear digest when configured to", async () => {
    const { tasks, delivered, s3 } = fakeRun({ allClear: true });
    const run = await execute({}, tasks, s3);
    expect(run.status).toBe("SUCCEEDED");
    expect(delivered).toEqual(["platform-teams", "patching-mail"]);
  });

  it("reports findings in several accounts to every channel, one channel at a time", async () => {
    const { tasks, delivered, s3, reported } = fakeRun({
      collect: (t) => ({ status: "ok", counts: counts({ nonCompliant: t.accountId === "200000000001" ? 0 : 3, compliant: 7 }) }),
    });
    const run = await execute({ environments: ["prod", "dev"] }, tasks, s3);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.path.at(-1)).toBe("Done");
    expect(delivered).toEqual(["platform-teams", "patching-mail"]);
    expect(run.calls.get("ListTargets")![0]).toMatchObject({ input: { environments: ["prod", "dev"] } });
    expect(run.calls.get("WriteReport")![0]).toMatchObject({
      runId,
      results: { Bucket: BUCKET, Key: expect.stringMatching(/^runs\/map-results\/.+\/manifest\.json$/) },
    });
    expect(reported.map((r) => ("resultKey" in r ? r.resultKey : undefined))).toEqual(targets.map((t) => runKeys.targetResult(runId, t)));
    expect(run.calls.get("Deliver")![0]).toMatchObject({
      channel: channels[0],
      report: { bucket: "patchline-reports", keys: { html: `reports/${runId}/report.html` } },
    });
    // each environment's change since the last run reaches every channel's digest through the state
    expect((run.calls.get("Deliver")![1] as { report: { trend: unknown } }).report.trend).toEqual({
      changes: [{ environment: "prod", current: expect.objectContaining({ compliancePercent: 70 }) }],
      warnings: [],
    });
  });

  it("writes the report and ends without a digest when no digest channel is configured, findings or not", async () => {
    for (const allClear of [false, true]) {
      const { tasks, delivered, s3 } = fakeRun({
        digestChannels: [],
        allClear,
        collect: () => ({ status: "ok", counts: counts({ nonCompliant: 2, compliant: 8 }) }),
      });
      const run = await execute({}, tasks, s3);
      expect(run.status).toBe("SUCCEEDED");
      expect(run.path.slice(-2)).toEqual(["AnythingToTell", "NothingToTell"]);
      expect(run.calls.get("WriteReport")).toHaveLength(1);
      expect(delivered).toEqual([]);
    }
  });

  it("records a target the collector cannot reach and goes on with the others", async () => {
    const { tasks, delivered, s3, reported } = fakeRun({
      collect: (t) =>
        t.accountId === "400000000001" ? { status: "unreachable", counts: zeroCounts, reason: "cannot assume ..." } : { status: "ok", counts: counts({}) },
    });
    const run = await execute({}, tasks, s3);
    expect(run.status).toBe("SUCCEEDED");
    expect(reported.map((r) => r.status)).toEqual(["unreachable", "ok", "ok", "ok"]);
    expect(delivered).toHaveLength(2);
  });

  it("records a target whose collector fails as unreachable, with the error, and goes on", async () => {
    const { tasks, s3, reported } = fakeRun();
    const run = await execute(
      {},
      failingFor(tasks, (t) => (t.region === "eu-west-1" ? taskError("Lambda.Unknown", "Task timed out after 240.00 seconds") : undefined)),
      s3,
    );
    expect(run.status).toBe("SUCCEEDED");
    expect(reported[2]).toEqual({ status: "unreachable", target: targets[2], error: "Lambda.Unknown" });
  });

  it("retries a throttled target and then collects it", async () => {
    let attempts = 0;
    const { tasks, s3, reported } = fakeRun();
    const run = await execute(
      {},
      failingFor(tasks, (t) => (t.accountId === "400000000001" && attempts++ < 2 ? taskError("TargetThrottled", "Rate exceeded") : undefined)),
      s3,
    );
    expect(run.status).toBe("SUCCEEDED");
    expect(run.retried.filter((s) => s === "Collect")).toHaveLength(2);
    expect(reported[0]).toMatchObject({ status: "ok" });
  });

  it("records a target throttled beyond its retries as unreachable", async () => {
    const { tasks, s3, reported } = fakeRun();
    const run = await execute(
      {},
      failingFor(tasks, (t) => (t.accountId === "200000000001" ? taskError("TargetThrottled", "Rate exceeded") : undefined)),
      s3,
    );
    expect(run.retried.filter((s) => s === "Collect")).toHaveLength(3);
    expect(reported[3]).toEqual({ status: "unreachable", target: targets[3], error: "TargetThrottled" });
  });

  it("keeps a target with 20,000 findings out of the state: its result goes to S3, the state carries the key and counts", async () => {
    const findings = Array.from({ length: 20_000 }, (_, i) => ({
      instanceId: `i-${i.toString(16).padStart(17, "0")}`,
      name: `host-${i}`,
      patch: { missing: 3 },
    }));
    const { tasks, s3, reported } = fakeRun({
      collect: (t) =>
        t.accountId === "400000000002" && t.region === "us-east-1"
          ? { status: "ok", counts: counts({ managed: 25_000, compliant: 5_000, nonCompliant: 20_000 }), findings }
          : { status: "ok", counts: counts({}) },
    });
    const run = await execute({}, tasks, s3);
    expect(run.status).toBe("SUCCEEDED");
    const key = runKeys.targetResult(runId, targets[1]!);
    expect(s3.get(key)!.length).toBeGreaterThan(STATE_PAYLOAD_LIMIT);
    expect(reported[1]).toMatchObject({ status: "ok", resultKey: key });
    expect(JSON.stringify(run.calls.get("WriteReport")![0]).length).toBeLessThan(4 * 1024);
    expect(JSON.stringify(run.output).length).toBeLessThan(4 * 1024);
  });

  it("carries the same state for 50 targets of the longest names as for 4: targets and results live in S3", async () => {
    const longest = Array.from(
      { length: 50 },
      (_, i): Target => ({
        accountId: String(100000000000 + i),
        accountName: "x".repeat(50), // Organizations account names are at most 50 characters
        environment: "e".repeat(16),
        region: "ap-southeast-4",
        source: "ou:ou-abcd-abcdefghij",
      }),
    );
    // the widest outcome per target: every collector failed and the child kept the whole target
    const stateOf = async (listed: readonly Target[]) => {
      const { tasks, s3, reported } = fakeRun({ targets: listed });
      const run = await execute(
        {},
        failingFor(tasks, () => taskError("Lambda.Unknown")),
        s3,
      );
      expect(run.status).toBe("SUCCEEDED");
      expect(reported).toHaveLength(listed.length);
      // what the Map and the report step are given: the same for any number of targets, but the count (and the start time)
      return [run.calls.get(COLLECT_STATE)![0], run.calls.get("WriteReport")![0]].map((input) =>
        JSON.stringify(input)
          .replace(/"targetCount":\d+/, "")
          .replace(/"startedAt":"[^"]*"/, ""),
      );
    };
    expect(await stateOf(longest)).toEqual(await stateOf(longest.slice(0, 4)));
  }, 60_000);

  it("tries every channel, then fails the run when one did not get the digest", async () => {
    const { tasks, delivered, s3 } = fakeRun({
      collect: () => ({ status: "ok", counts: counts({ nonCompliant: 1, compliant: 9 }) }),
      deliver: (channel) => {
        if (channel === "platform-teams") throw taskError("ChannelDeliveryFailed", "Teams channel platform-teams: HTTP 400: Bad payload");
      },
    });
    const run = await execute({}, tasks, s3);
    expect(delivered).toEqual(["patching-mail"]);
    expect(run.status).toBe("FAILED");
    expect(run.error).toBe("DigestNotDelivered");
  });
});
