import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Target } from "../contracts/compliance-model.js";
import { collectTarget } from "../functions/compliance/collector/run.js";
import { mapWithConcurrency } from "../functions/shared/concurrency.js";
import type { FakeEvidenceInstance, FakePatch } from "../test/support/fake-evidence-account.js";
import { generateFleet } from "../test/support/fake-member-account.js";
import { FakeSlaAccount, type CatalogEntry } from "../test/support/fake-sla-account.js";
import { Fakes, instanceId, rules, stsAndS3 } from "./collection.js";
import { VirtualClock } from "./virtual-clock.js";

/**
 * The collection with a patch SLA (`org.compliance.sla`): the organization of the collection
 * benchmark (half of each target's instances non-compliant, 1-7 missing patches each, one in
 * eleven a failed one), every call answered by test/support/fake-sla-account.ts after the same
 * latency in simulated time. Half the instances are Windows, missing updates of the last twelve
 * months' KBs (each KB in the region's catalog for three products), half Linux, missing packages
 * (no release date to look up). The collector asks each non-compliant instance for its Missing
 * patches (and Failed ones where it has some) and each distinct KB of the target once.
 */
export const SLA = { Critical: 14, Important: 30 };
const COLLECTED_AT = new Date("2027-01-15T07:00:05Z");
const RUN_ID = "20270115T070000Z-1a2b3c4d";
const DAY_MS = 86_400_000;

/** Twelve monthly cumulative updates and a few out-of-band ones: what a Windows fleet misses. */
const KBS = Array.from({ length: 16 }, (_, i) => `KB50${(34441 + i * 97).toString()}`);
export const catalog: CatalogEntry[] = KBS.flatMap((kb, i) =>
  ["WindowsServer2019", "WindowsServer2022", "WindowsServer2025"].map((product) => ({
    kb,
    product,
    released: new Date(COLLECTED_AT.getTime() - (5 + i * 23) * DAY_MS),
  })),
);

/** Target `t`'s instances: counts as generateFleet makes them, patches to match. */
export function slaFleet(t: number, instances: number): FakeEvidenceInstance[] {
  return generateFleet(instances, "i-0", { nonCompliantEvery: 2 }).map((instance, n) => {
    const windows = n % 4 < 2;
    const patch = (k: number, State: string): FakePatch =>
      windows
        ? { KBId: KBS[(n + k) % KBS.length]!, Severity: k % 2 === 0 ? "Critical" : "Important", State }
        : { KBId: `package-${k}.x86_64`, Severity: "Important", Classification: "Security", State };
    const missing = Array.from({ length: instance.missing ?? 0 }, (_, k) => patch(k, "Missing"));
    const failed = Array.from({ length: instance.failed ?? 0 }, (_, k) => patch(100 + k, "Failed"));
    return { ...instance, id: instanceId(t, n), patches: [...missing, ...failed] };
  });
}

export interface SlaCollectionMeasurement {
  readonly concurrency: number;
  readonly targets: number;
  readonly instancesPerTarget: number;
  readonly totalCalls: number;
  readonly memberCalls: number;
  readonly simulatedSeconds: number;
  readonly realSeconds: number;
  readonly callsByApi: Readonly<Record<string, number>>;
  /** Instances past the SLA, summed over the targets' counts. */
  readonly slaBreaches: number;
  /** Lines and bytes of missing_patches written. */
  readonly lines: number;
  readonly bytes: number;
}

const target = (t: number): Target => ({
  accountId: String(400000000000 + Math.floor(t / 2)),
  accountName: `account-${t >> 1}`,
  environment: "prod",
  region: t % 2 === 0 ? "us-east-1" : "eu-west-1",
  source: "config",
});

/** The collection of `targetCount` targets with the SLA, `concurrency` at once, as the compliance run's Map does it. */
export async function collectWithSla(targetCount: number, instancesPerTarget: number, concurrency: number): Promise<SlaCollectionMeasurement> {
  const targets = Array.from({ length: targetCount }, (_, t) => target(t));
  const accounts = new Map(targets.map((tg, t) => [`${tg.accountId}/${tg.region}`, new FakeSlaAccount(slaFleet(t, instancesPerTarget), catalog)]));
  const clock = new VirtualClock();
  const fakes = new Fakes(clock, accounts);
  const { sts } = stsAndS3(fakes);
  let lines = 0;
  let bytes = 0;
  class FakeS3 extends S3Client {
    override send(command: unknown): Promise<never> {
      if (!(command instanceof PutObjectCommand)) throw new Error("the collector only writes");
      const body = String(command.input.Body);
      if (command.input.Key?.startsWith("missing-patches/")) {
        lines += body.split("\n").length - 1;
        bytes += Buffer.byteLength(body);
      }
      return fakes.answer("s3:PutObject", () => ({})) as Promise<never>;
    }
  }
  const s3 = new FakeS3({ region: "us-east-1" });
  let slaBreaches = 0;
  const started = performance.now();
  await clock.run(() =>
    mapWithConcurrency(targets, concurrency, async (tg) => {
      const output = await collectTarget(
        { sts, s3, clientsFor: () => fakes.clients(`${tg.accountId}/${tg.region}`), bucket: "reports", now: () => COLLECTED_AT },
        {
          runId: RUN_ID,
          target: tg,
          roleArn: `arn:aws:iam::${tg.accountId}:role/patchline-compliance-reader`,
          coverageRules: [...rules].map(([ruleName, check]) => ({ ruleName, check })),
          ownerTagKey: "Owner",
          patchGroupTagKey: "Patch Group",
          sla: { days: SLA, bucket: "data" },
        },
      );
      if (output.status !== "ok" || output.counts.nonCompliant !== instancesPerTarget / 2)
        throw new Error(`collector saw ${output.counts.nonCompliant} non-compliant instances in ${tg.accountId} ${tg.region} (${output.status})`);
      slaBreaches += output.counts.slaBreaches;
    }),
  );
  const callsByApi = Object.fromEntries([...fakes.calls].sort(([a], [b]) => a.localeCompare(b)));
  const totalCalls = [...fakes.calls.values()].reduce((n, c) => n + c, 0);
  return {
    concurrency,
    targets: targetCount,
    instancesPerTarget,
    totalCalls,
    memberCalls: totalCalls - (fakes.calls.get("s3:PutObject") ?? 0),
    simulatedSeconds: clock.now / 1000,
    realSeconds: (performance.now() - started) / 1000,
    callsByApi,
    slaBreaches,
    lines,
    bytes,
  };
}

/** Instances of one target at which the collector reaches `seconds`, from two sizes (linear), rounded down to a hundred. */
export function instancesReachingWithSla(seconds: number, small: SlaCollectionMeasurement, large: SlaCollectionMeasurement): number {
  const perInstance = (large.simulatedSeconds - small.simulatedSeconds) / (large.instancesPerTarget - small.instancesPerTarget);
  const fixed = small.simulatedSeconds - perInstance * small.instancesPerTarget;
  return Math.floor((seconds - fixed) / perInstance / 100) * 100;
}
