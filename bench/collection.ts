import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand } from "@aws-sdk/client-config-service";
import { DescribeTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeAvailablePatchesCommand,
  DescribeInstanceInformationCommand,
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  ListComplianceItemsCommand,
  ListComplianceSummariesCommand,
  ListResourceComplianceSummariesCommand,
  paginateDescribeInstanceInformation,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { collectTarget } from "../functions/compliance/collector/run.js";
import type { CoverageCheck, Target } from "../contracts/compliance-model.js";
import { mapWithConcurrency } from "../functions/shared/concurrency.js";
import type { MemberReadClients } from "../functions/compliance/shared/member-access.js";
import { FakeMemberAccount, generateFleet, type FakeInstance } from "../test/support/fake-member-account.js";
import { FakeSlaAccount } from "../test/support/fake-sla-account.js";
import { VirtualClock } from "./virtual-clock.js";

/**
 * The collection of a compliance run against a simulated organization: every member API call is
 * answered by an in-process fake of the account after a fixed latency, in simulated time. The
 * real collector (`collectTarget`) runs at the configured Map concurrency; the naive pattern
 * (describe every instance, one compliance call per instance, tags per instance) runs at the same
 * concurrency for comparison.
 */
export const LATENCY_MS = 50;

export interface CollectionMeasurement {
  readonly pattern: "patchline collector" | "naive: per-instance calls";
  readonly concurrency: number;
  readonly targets: number;
  readonly instancesPerTarget: number;
  /** Calls to member-account APIs (SSM, EC2, Config) and STS. */
  readonly memberCalls: number;
  /** Calls of all kinds, the result writes to S3 included. */
  readonly totalCalls: number;
  readonly simulatedSeconds: number;
  readonly realSeconds: number;
  readonly callsByApi: Readonly<Record<string, number>>;
}

export const rules = new Map<string, CoverageCheck>([
  ["patchline-patch-group-tag", "patch-group-tag"],
  ["patchline-patch-policy-tag", "patch-policy-tag"],
  ["patchline-maintenance-window-tag", "maintenance-window-tag"],
  ["patchline-managed-by-ssm", "managed-by-ssm"],
]);

/** Counts and delays every call; answers from the target's fake account. */
export class Fakes {
  readonly calls = new Map<string, number>();
  constructor(
    readonly clock: VirtualClock,
    readonly accounts: ReadonlyMap<string, FakeMemberAccount>,
  ) {}

  async answer<T>(api: string, produce: () => T): Promise<T> {
    this.calls.set(api, (this.calls.get(api) ?? 0) + 1);
    await this.clock.sleep(LATENCY_MS);
    return produce();
  }

  clients(accountKey: string): MemberReadClients {
    const account = this.accounts.get(accountKey)!;
    const fakes = this;
    class FakeSsm extends SSMClient {
      override send(command: unknown): Promise<never> {
        const input = (command as { input: never }).input;
        if (command instanceof ListComplianceSummariesCommand)
          return fakes.answer("ssm:ListComplianceSummaries", () => account.listComplianceSummaries(input)) as Promise<never>;
        if (command instanceof ListResourceComplianceSummariesCommand)
          return fakes.answer("ssm:ListResourceComplianceSummaries", () => account.listResourceComplianceSummaries(input)) as Promise<never>;
        if (command instanceof DescribeInstancePatchStatesCommand)
          return fakes.answer("ssm:DescribeInstancePatchStates", () => account.describeInstancePatchStates(input)) as Promise<never>;
        if (command instanceof DescribeInstanceInformationCommand)
          return fakes.answer("ssm:DescribeInstanceInformation", () => account.describeInstanceInformation(input)) as Promise<never>;
        if (command instanceof ListComplianceItemsCommand)
          return fakes.answer("ssm:ListComplianceItems", () => account.listComplianceItems(input)) as Promise<never>;
        // the patch SLA's calls (collection-sla.ts): an account with patches and a patch catalog
        if (command instanceof DescribeInstancePatchesCommand && account instanceof FakeSlaAccount)
          return fakes.answer("ssm:DescribeInstancePatches", () => account.describeInstancePatches(input)) as Promise<never>;
        if (command instanceof DescribeAvailablePatchesCommand && account instanceof FakeSlaAccount)
          return fakes.answer("ssm:DescribeAvailablePatches", () => account.describeAvailablePatches(input)) as Promise<never>;
        throw new Error(`the fake answers no ${(command as object).constructor.name}`);
      }
    }
    return { ssm: new FakeSsm({ region: "us-east-1" }), ...tagAndRuleClients(fakes, account) };
  }
}

/** A target's EC2 (tags) and AWS Config (coverage rule results) clients, answered by its fake account after the benchmarks' latency. */
export function tagAndRuleClients(fakes: Fakes, account: FakeMemberAccount): Pick<MemberReadClients, "ec2" | "config"> {
  class FakeEc2 extends EC2Client {
    override send(command: unknown): Promise<never> {
      if (command instanceof DescribeTagsCommand)
        return fakes.answer("ec2:DescribeTags", () => account.describeTags((command as DescribeTagsCommand).input as never)) as Promise<never>;
      throw new Error(`the fake answers no ${(command as object).constructor.name}`);
    }
  }
  class FakeConfig extends ConfigServiceClient {
    override send(command: unknown): Promise<never> {
      if (command instanceof GetComplianceDetailsByConfigRuleCommand)
        return fakes.answer("config:GetComplianceDetailsByConfigRule", () =>
          account.getComplianceDetailsByConfigRule(command.input as never, rules),
        ) as Promise<never>;
      throw new Error(`the fake answers no ${(command as object).constructor.name}`);
    }
  }
  return { ec2: new FakeEc2({ region: "us-east-1" }), config: new FakeConfig({ region: "us-east-1" }) };
}

/** The id of instance `n` of target `t` as AWS forms one (`i-` and 17 characters, the API's pattern), unique in the organization. */
export const instanceId = (t: number, n: number): string => `i-${t.toString(16).padStart(5, "0")}${n.toString(16).padStart(12, "0")}`;

function organization(targetCount: number, instancesPerTarget: number): { targets: Target[]; accounts: Map<string, FakeMemberAccount> } {
  const targets: Target[] = [];
  const accounts = new Map<string, FakeMemberAccount>();
  for (let t = 0; t < targetCount; t++) {
    const accountId = String(400000000000 + Math.floor(t / 2));
    const region = t % 2 === 0 ? "us-east-1" : "eu-west-1";
    targets.push({ accountId, accountName: `account-${t >> 1}`, environment: "prod", region, source: "config" });
    // half the fleet non-compliant, one in twenty failing a coverage check
    const fleet: FakeInstance[] = generateFleet(instancesPerTarget, "i-0", { nonCompliantEvery: 2 }).map((instance, n) => ({
      ...instance,
      id: instanceId(t, n),
      ...(n % 20 === 7 && { notCovered: ["patch-policy-tag"] as const }),
    }));
    accounts.set(`${accountId}/${region}`, new FakeMemberAccount(fleet));
  }
  return { targets, accounts };
}

export function stsAndS3(fakes: Fakes) {
  class FakeSts extends STSClient {
    override send(_command: unknown): Promise<never> {
      return fakes.answer("sts:AssumeRole", () => ({
        Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date(0) },
      })) as Promise<never>;
    }
  }
  class FakeS3 extends S3Client {
    override send(command: unknown): Promise<never> {
      if (!(command instanceof PutObjectCommand)) throw new Error("the fake S3 takes PutObject only");
      return fakes.answer("s3:PutObject", () => ({})) as Promise<never>;
    }
  }
  return { sts: new FakeSts({ region: "us-east-1" }), s3: new FakeS3({ region: "us-east-1" }) };
}

/** The collection as the compliance run does it: collectTarget per target, `concurrency` at once. */
async function patchline(targetCount: number, instancesPerTarget: number, concurrency: number): Promise<CollectionMeasurement> {
  const { targets, accounts } = organization(targetCount, instancesPerTarget);
  const clock = new VirtualClock();
  const fakes = new Fakes(clock, accounts);
  const { sts, s3 } = stsAndS3(fakes);
  const started = performance.now();
  await clock.run(() =>
    mapWithConcurrency(targets, concurrency, async (target) => {
      const output = await collectTarget(
        { sts, s3, clientsFor: () => fakes.clients(`${target.accountId}/${target.region}`), bucket: "reports", now: () => new Date(0) },
        {
          runId: "bench",
          target,
          roleArn: `arn:aws:iam::${target.accountId}:role/patchline-compliance-reader`,
          coverageRules: [...rules].map(([ruleName, check]) => ({ ruleName, check })),
          ownerTagKey: "Owner",
          patchGroupTagKey: "Patch Group",
        },
      );
      if (output.counts.nonCompliant !== instancesPerTarget / 2)
        throw new Error(`collector saw ${output.counts.nonCompliant} non-compliant instances in ${target.accountId} ${target.region}`);
    }),
  );
  return measurement("patchline collector", fakes, clock, started, targetCount, instancesPerTarget, concurrency);
}

/** The pattern the collector replaces: list every instance, then ask about each one by itself. */
async function naive(targetCount: number, instancesPerTarget: number, concurrency: number): Promise<CollectionMeasurement> {
  const { targets, accounts } = organization(targetCount, instancesPerTarget);
  const clock = new VirtualClock();
  const fakes = new Fakes(clock, accounts);
  const { sts } = stsAndS3(fakes);
  const started = performance.now();
  await clock.run(() =>
    mapWithConcurrency(targets, concurrency, async (target) => {
      await sts.send(new AssumeRoleCommand({ RoleArn: "r", RoleSessionName: "s" }));
      const clients = fakes.clients(`${target.accountId}/${target.region}`);
      const ids: string[] = [];
      for await (const page of paginateDescribeInstanceInformation({ client: clients.ssm, pageSize: 50 }, {}))
        for (const i of page.InstanceInformationList ?? []) ids.push(i.InstanceId!);
      for (const id of ids) {
        await clients.ssm.send(new ListComplianceItemsCommand({ ResourceIds: [id], ResourceTypes: ["ManagedInstance"] }));
        await clients.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id] }] }));
      }
    }),
  );
  return measurement("naive: per-instance calls", fakes, clock, started, targetCount, instancesPerTarget, concurrency);
}

function measurement(
  pattern: CollectionMeasurement["pattern"],
  fakes: Fakes,
  clock: VirtualClock,
  started: number,
  targets: number,
  instancesPerTarget: number,
  concurrency: number,
): CollectionMeasurement {
  const callsByApi = Object.fromEntries([...fakes.calls].sort(([a], [b]) => a.localeCompare(b)));
  const totalCalls = [...fakes.calls.values()].reduce((n, c) => n + c, 0);
  return {
    pattern,
    concurrency,
    targets,
    instancesPerTarget,
    memberCalls: totalCalls - (fakes.calls.get("s3:PutObject") ?? 0),
    totalCalls,
    simulatedSeconds: clock.now / 1000,
    realSeconds: (performance.now() - started) / 1000,
    callsByApi,
  };
}

export async function collectionBenchmark(
  options: { targets?: number; instancesPerTarget?: number; concurrencies?: readonly number[] } = {},
): Promise<CollectionMeasurement[]> {
  const targets = options.targets ?? 200;
  const instances = options.instancesPerTarget ?? 500;
  const rows: CollectionMeasurement[] = [];
  for (const concurrency of options.concurrencies ?? [10, 40]) {
    rows.push(await patchline(targets, instances, concurrency));
    rows.push(await naive(targets, instances, concurrency));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await collectionBenchmark())
    console.log(`${m.pattern} @${m.concurrency}: ${m.totalCalls} calls, ${m.simulatedSeconds.toFixed(1)} s simulated, ${m.realSeconds.toFixed(1)} s real`);
}
