import {
  DescribeInstanceInformationCommand,
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  DescribeMaintenanceWindowExecutionsCommand,
  DescribeMaintenanceWindowExecutionTaskInvocationsCommand,
  DescribeMaintenanceWindowExecutionTasksCommand,
  DescribeMaintenanceWindowsCommand,
  ListComplianceSummariesCommand,
  ListResourceComplianceSummariesCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import type { MemberReadClients } from "../functions/compliance/shared/member-access.js";
import type { FakeEvidenceAccount, FakeEvidenceInstance, FakePatch, FakeWindow } from "../test/support/fake-evidence-account.js";
import { type Fakes, instanceId, tagAndRuleClients } from "./collection.js";

/**
 * Fleets of an environment whose evidence is collected, as DescribeInstancePatches reports them:
 * every instance has about 30 patches in the states evidence keeps (mostly Installed, a few
 * Missing, Failed, InstalledPendingReboot, InstalledRejected) and, besides, the InstalledOther and
 * NotApplicable ones AWS lists too, which the collector pages through and drops. Instances share
 * their patch lists by variant, so fleets of thousands stay small in this process.
 */

export type OperatingSystem = "WINDOWS" | "AMAZON_LINUX_2023" | "AMAZON_LINUX_2" | "REDHAT_ENTERPRISE_LINUX" | "UBUNTU";

const platforms: Record<OperatingSystem, { type: string; name: string; version: string }> = {
  WINDOWS: { type: "Windows", name: "Microsoft Windows Server 2022 Datacenter", version: "10.0.20348" },
  AMAZON_LINUX_2023: { type: "Linux", name: "Amazon Linux", version: "2023" },
  AMAZON_LINUX_2: { type: "Linux", name: "Amazon Linux", version: "2" },
  REDHAT_ENTERPRISE_LINUX: { type: "Linux", name: "Red Hat Enterprise Linux", version: "9.6" },
  UBUNTU: { type: "Linux", name: "Ubuntu", version: "22.04" },
};

/** Patches in the states evidence keeps, per instance; and the pool each instance's are drawn from. */
export const KEPT_PER_INSTANCE = 30;
const POOL = 40;
const VARIANTS = 24;
const DAY_MS = 86_400_000;

const packages = [
  "kernel",
  "openssl-libs",
  "glibc",
  "glibc-common",
  "systemd",
  "sudo",
  "curl",
  "libcurl",
  "python3",
  "python3-libs",
  "openssh",
  "openssh-server",
  "bind-libs",
  "krb5-libs",
  "libxml2",
  "expat",
  "sqlite-libs",
  "zlib",
  "vim-minimal",
  "git",
  "nss",
  "nspr",
  "gnutls",
  "libssh",
  "libtiff",
  "less",
  "tar",
  "rsync",
  "cups-libs",
  "dbus",
  "polkit",
  "pam",
  "shadow-utils",
  "util-linux",
  "xz-libs",
  "bzip2-libs",
  "libarchive",
  "perl",
  "ca-certificates",
  "tzdata",
];

/** One patch of the pool as the platform names it: Windows by KB, RPM by name.arch:epoch:version-release, Debian by name.arch. */
function poolPatch(os: OperatingSystem, k: number): Omit<FakePatch, "State" | "InstalledTime"> {
  const severity = ["Critical", "Important", "Important", "Moderate"][k % 4]!;
  const cves = k % 3 === 2 ? undefined : `CVE-2026-${40000 + k * 7},CVE-2026-${40001 + k * 7}`;
  if (os === "WINDOWS") {
    const kb = `KB50${70100 + k * 13}`;
    const classification = ["SecurityUpdates", "CriticalUpdates", "SecurityUpdates", "UpdateRollups"][k % 4]!;
    return {
      KBId: kb,
      Title: `2026-11 Security Update for Microsoft server operating system version 21H2 for x64-based Systems (${kb})`,
      Classification: classification,
      Severity: severity,
      CVEIds: cves,
    };
  }
  const name = packages[k % packages.length]!;
  if (os === "UBUNTU")
    return { KBId: `${name}.amd64`, Title: `${name}.amd64:1.${k}.2-0ubuntu1.${k}`, Classification: "Security", Severity: severity, CVEIds: cves };
  const release = { AMAZON_LINUX_2023: "amzn2023.0.3", AMAZON_LINUX_2: "amzn2.0.1", REDHAT_ENTERPRISE_LINUX: "el9_6.1" }[os];
  return {
    KBId: `${name}.x86_64`,
    Title: `${name}.x86_64:0:${2 + (k % 5)}.${k}.${k % 9}-${10 + k}.${release}`,
    Classification: k % 5 === 4 ? "Bugfix" : "Security",
    Severity: severity,
    CVEIds: cves,
  };
}

/** The state of pool patch k on an instance of the variant; install times spread over the weeks of the lookback. */
function keptState(variant: number, k: number, collectedAt: Date): Pick<FakePatch, "State" | "InstalledTime"> {
  const n = variant * 31 + k;
  if (n % 97 === 5) return { State: "Failed" };
  if (n % 43 === 3) return { State: "Missing" };
  if (n % 211 === 7) return { State: "InstalledRejected", InstalledTime: new Date(collectedAt.getTime() - 60 * DAY_MS) };
  const installedTime = new Date(collectedAt.getTime() - (1 + 7 * (k % 5)) * DAY_MS - (variant % 4) * 3_600_000);
  return { State: k === 0 && variant % 6 === 0 ? "InstalledPendingReboot" : "Installed", InstalledTime: installedTime };
}

/** What AWS lists of an instance besides the kept states: InstalledOther and NotApplicable patches. */
export interface ReportedExtras {
  readonly installedOther: number;
  readonly notApplicable: number;
}

/** An instance's patches: its kept ones, then the others AWS reports, in the order of the pool. */
export function patchList(os: OperatingSystem, variant: number, extras: ReportedExtras, collectedAt: Date): FakePatch[] {
  const kept = Array.from({ length: KEPT_PER_INSTANCE }, (_, i) => {
    const k = (variant + i) % POOL;
    return { ...poolPatch(os, k), ...keptState(variant, k, collectedAt) };
  });
  const other = (state: string, count: number, base: number) =>
    Array.from({ length: count }, (_, i) => ({
      ...poolPatch(os, base + i),
      KBId: os === "WINDOWS" ? `KB49${base + i}` : `na-${base + i}.x86_64`,
      State: state,
    }));
  return [...kept, ...other("InstalledOther", extras.installedOther, 1000), ...other("NotApplicable", extras.notApplicable, 5000)];
}

/** Patch lists by platform, variant and extras, shared by every fleet: an organization of them stays small. */
const patchLists = new Map<string, FakePatch[]>();

/** A fleet of `count` instances, each on `osOf(n)`, with ids unique per `target`. */
export function evidenceFleet(
  target: number,
  count: number,
  osOf: (n: number) => OperatingSystem,
  extrasOf: (os: OperatingSystem) => ReportedExtras,
  collectedAt: Date,
): FakeEvidenceInstance[] {
  return Array.from({ length: count }, (_, n) => {
    const os = osOf(n);
    const variant = n % VARIANTS;
    const extras = extrasOf(os);
    const key = `${os}/${variant}/${extras.installedOther}/${extras.notApplicable}/${collectedAt.toISOString()}`;
    const patches = patchLists.get(key) ?? patchLists.set(key, patchList(os, variant, extras, collectedAt)).get(key)!;
    const compliant = !patches.some((p) => p.State === "Missing" || p.State === "Failed");
    return {
      id: instanceId(target, n),
      compliant,
      severity: compliant ? undefined : "CRITICAL",
      missing: patches.filter((p) => p.State === "Missing").length,
      failed: patches.filter((p) => p.State === "Failed").length,
      patchGroup: "web-preprod",
      tags: { Name: `host-${n}`, "Patch Group": "web-preprod", "patch-policy": "patch-on-schedule", Owner: `team${n % 5}@example.com` },
      platform: platforms[os],
      patches,
    };
  });
}

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

/**
 * The environment's weekly window over the lookback (35 days): five executions, each a scan and an
 * install task; the latest install did not succeed on every instance, so its invocations (one per
 * instance) are read.
 */
export function weeklyWindow(name: string, instances: number, collectedAt: Date): FakeWindow {
  const executions = Array.from({ length: 5 }, (_, week) => {
    const start = new Date(collectedAt.getTime() - (1 + 7 * week) * DAY_MS);
    const latest = week === 0;
    const task = (n: number, operation: string, status: string) => ({
      id: uuid(week * 10 + n),
      taskArn: "AWS-RunPatchBaselineWithHooks",
      status,
      operation,
      invocations: Array.from({ length: instances }, (_, i) => ({
        id: uuid(1_000_000 + week * 100_000 + n * 50_000 + i),
        status: latest && operation === "Install" && i % 50 === 7 ? "FAILED" : "SUCCESS",
        commandId: uuid(2_000_000 + i),
        details: latest && operation === "Install" && i % 50 === 7 ? "Failed" : "Success",
      })),
    });
    return {
      id: uuid(100 + week),
      status: latest ? "FAILED" : "SUCCESS",
      start,
      end: new Date(start.getTime() + 2 * 3_600_000),
      tasks: [task(1, "Scan", "SUCCESS"), task(2, "Install", latest ? "FAILED" : "SUCCESS")],
    };
  });
  return { id: "mw-0a1b2c3d4e5f60718", name, executions };
}

/** The read clients of a target, answered by its fake account after the benchmarks' latency: compliance and evidence calls. */
export function evidenceClients(fakes: Fakes, account: FakeEvidenceAccount): MemberReadClients {
  const ssmCalls: [new (...args: never[]) => object, string, (input: never) => unknown][] = [
    [ListComplianceSummariesCommand, "ListComplianceSummaries", (i) => account.listComplianceSummaries(i)],
    [ListResourceComplianceSummariesCommand, "ListResourceComplianceSummaries", (i) => account.listResourceComplianceSummaries(i)],
    [DescribeInstancePatchStatesCommand, "DescribeInstancePatchStates", (i) => account.describeInstancePatchStates(i)],
    [DescribeInstanceInformationCommand, "DescribeInstanceInformation", (i) => account.describeInstanceInformation(i)],
    [DescribeInstancePatchesCommand, "DescribeInstancePatches", (i) => account.describeInstancePatches(i)],
    [DescribeMaintenanceWindowsCommand, "DescribeMaintenanceWindows", (i) => account.describeMaintenanceWindows(i)],
    [DescribeMaintenanceWindowExecutionsCommand, "DescribeMaintenanceWindowExecutions", (i) => account.describeMaintenanceWindowExecutions(i)],
    [DescribeMaintenanceWindowExecutionTasksCommand, "DescribeMaintenanceWindowExecutionTasks", (i) => account.describeMaintenanceWindowExecutionTasks(i)],
    [
      DescribeMaintenanceWindowExecutionTaskInvocationsCommand,
      "DescribeMaintenanceWindowExecutionTaskInvocations",
      (i) => account.describeMaintenanceWindowExecutionTaskInvocations(i),
    ],
  ];
  class FakeSsm extends SSMClient {
    override send(command: unknown): Promise<never> {
      const input = (command as { input: never }).input;
      for (const [type, api, answer] of ssmCalls) if (command instanceof type) return fakes.answer(`ssm:${api}`, () => answer(input)) as Promise<never>;
      throw new Error(`the fake answers no ${(command as object).constructor.name}`);
    }
  }
  return { ssm: new FakeSsm({ region: "us-east-1" }), ...tagAndRuleClients(fakes, account) };
}
