import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { centralSizes } from "./central-limits.js";
import { changeDetectionBenchmark } from "./change-detection.js";
import { incrementalSynthBenchmark } from "./synth-incremental.js";
import { functionsBenchmark } from "./functions.js";
import { collectionBenchmark, LATENCY_MS } from "./collection.js";
import { collectWithSla, instancesReachingWithSla, SLA, type SlaCollectionMeasurement } from "./collection-sla.js";
import { planMemory, planMemoryByRegions } from "./plan-memory.js";
import { planShardsBenchmark, renderPlanShards } from "./plan-shards.js";
import { CHILD_START_MS, complianceRunBenchmark } from "./compliance-run.js";
import { collectOneTarget, type CollectorMeasurement, fleetMixes, instancesReaching, reportAndPromote } from "./evidence.js";
import { LARGEST_VALID_ACCOUNTS_PER_ENVIRONMENT as LARGEST, synthBenchmark } from "./synth.js";

/**
 * Runs the benchmarks named on the command line (all when none) and writes each one's results to
 * `bench/results/<name>.md`, with the machine they ran on. `npm run bench -- synth` runs one.
 */
const SYNTH_TARGET_SECONDS = 30;
const PLAN_TARGET_MB = 2048;
const CHANGE_DETECTION_TARGET_SECONDS = 10;
const ZIP_TARGET_KB = 400;
const IMPORT_TARGET_MS = 150;
const COLLECTION_TARGET_SECONDS = 30;
const COLLECTION_TARGET_CALL_RATIO = 10;
/** The Map concurrency of the example organization (org.compliance.maxConcurrency). */
const CONFIGURED_CONCURRENCY = 10;

/** AWS limits the central stack and a compliance run meet (bytes), as the docs' table cites them. */
const AWS = { bucketPolicy: 20 * 1024, definition: 1024 * 1024, statePayload: 256 * 1024, lambdaPayload: 6 * 1024 * 1024 };
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const headroom = (bytes: number, limit: number) => `${(limit / bytes).toFixed(0)}×`;

const FULL_SYNTH_10K_TARGET_SECONDS = 180;
const ONE_ACCOUNT_TARGET_SECONDS = 15;

/**
 * The central plan should not grow with the organization. Memory: within a fifth (run-to-run noise
 * on this machine) from 1,000 to 10,000 accounts. Time is reported as what it grows by: the fleet
 * catalog's JSON (0.9 MiB at 10,000 accounts) stays in the plan on purpose, so reviewers see it.
 */
function centralConstant(rows: readonly { organization: string; peakMb: number; seconds: number }[]): string {
  const memory = Math.max(...rows.map((r) => r.peakMb)) / Math.min(...rows.map((r) => r.peakMb)) - 1;
  const [first, last] = [rows[0]!, rows.at(-1)!];
  return `Target: the central stack's plan memory the same at 1,000, 3,000 and 10,000 accounts (within 20 %) — ${memory < 0.2 ? "met" : "NOT met"} (${(memory * 100).toFixed(0)} % apart). Its time grows by ${(last.seconds - first.seconds).toFixed(1)} s from the first to the last of those (${first.seconds.toFixed(1)} → ${last.seconds.toFixed(1)} s): the fleet catalog's content, which a plan shows as a JSON diff.`;
}

const COMPLIANCE_RUN_CONCURRENCIES = [100, 500];

/** Evidence: the collector's timeout and memory, the report function's memory (stacks/compliance/workflow.ts). */
const COLLECTOR_TIMEOUT_SECONDS = 240;
const COLLECTOR_MEMORY_MB = 512;
const REPORT_MEMORY_MB = 1024;
/** One target of 500 instances within half the collector's timeout, whatever the fleet. */
const EVIDENCE_COLLECTOR_TARGET_SECONDS = COLLECTOR_TIMEOUT_SECONDS / 2;
const EVIDENCE_INSTANCES = 500;
/** The report's evidence of 10,000 instances within half the report function's memory. */
const EVIDENCE_REPORT_HEAP_TARGET_MB = REPORT_MEMORY_MB / 2;
const EVIDENCE_REPORT = { targets: 500, instancesPerTarget: 20 };
const PROMOTE_TARGET_SECONDS = 30;

/** A prod-wide change's review in a pull request: under 10 minutes with at most 8 shards. */
const PLAN_SHARDS_GOAL_MINUTES = 10;
const PLAN_SHARDS_GOAL_SHARDS = 8;

const benchmarks: Record<string, () => Promise<string>> = {
  async "compliance-run"() {
    const rows = await complianceRunBenchmark({ accounts: 10_000, instancesPerTarget: 20, concurrencies: COMPLIANCE_RUN_CONCURRENCIES });
    const apis = Object.keys(rows[0]!.callsByApi);
    return [
      "# A compliance run at 10,000 accounts × 3 regions",
      "",
      `Simulated time (\`bench/virtual-clock.ts\`): 30,000 account-regions of 20 instances each (one in five non-compliant). Each child of the Distributed Map waits ${CHILD_START_MS} ms (its start and the Lambda invoke), then runs the real collector (\`collectTarget\`) against in-process fakes of the account that answer every call after ${LATENCY_MS} ms; MaxConcurrency children at a time. Then the real report (\`writeReport\`) reads the map run's result files (as \`test/support/map-run.ts\` writes them, 1,000 children per file) and every target's result from an in-memory bucket with the same latency, streams the findings CSV and writes JSON and HTML; before that it reads the 29 earlier runs of the history (a list and 29 objects of 3 environment lines: the trend of 30 runs), after it writes the run's history (an environments and a targets object, write-once). State transitions: the states one run enters, from the definition executed locally (aws-local-stepfunctions), priced at Step Functions Standard's USD 0.025 per 1,000 (us-east-1). Report memory: the growth of this process's JS heap while the report ran, sampled every 5 ms.`,
      "",
      "| MaxConcurrency | collection (simulated) | report (simulated) | real time (s) | AssumeRole per second, peak | state transitions | USD per run | report heap (MB) | findings | CSV (MiB) | history_targets (MiB) |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.maxConcurrency} | ${(r.collectSimulatedSeconds / 60).toFixed(1)} min | ${r.reportSimulatedSeconds.toFixed(0)} s | ${r.realSeconds.toFixed(0)} | ${r.assumeRolePerSecond} | ${r.transitions} | ${r.usdPerRun.toFixed(2)} | ${r.reportHeapMb.toFixed(0)} | ${r.findings} | ${r.csvMb.toFixed(1)} | ${r.historyTargetsMb.toFixed(1)} |`,
      ),
      "",
      "Calls per run (the same at every concurrency):",
      "",
      "| API | calls |",
      "|---|---:|",
      ...apis.map((api) => `| ${api} | ${rows[0]!.callsByApi[api]} |`),
    ].join("\n");
  },
  async evidence() {
    const rows: { at: CollectorMeasurement; limit: number; atLimit: CollectorMeasurement }[] = [];
    for (const mix of fleetMixes) {
      const at = await collectOneTarget(mix, EVIDENCE_INSTANCES);
      const limit = instancesReaching(COLLECTOR_TIMEOUT_SECONDS, [at, await collectOneTarget(mix, 2 * EVIDENCE_INSTANCES)]);
      rows.push({ at, limit, atLimit: await collectOneTarget(mix, limit) });
    }
    const { reports, promote } = await reportAndPromote(EVIDENCE_REPORT.targets, EVIDENCE_REPORT.instancesPerTarget);
    const [without, withEvidence] = reports as [(typeof reports)[0], (typeof reports)[0]];
    const apis = [...new Set(rows.flatMap((r) => Object.keys(r.at.callsByApi)))].sort();
    const collectorRow = (m: CollectorMeasurement) =>
      `| ${m.mix} | ${m.instances} | ${m.reportedPatches.toFixed(0)} | ${m.totalCalls} | ${m.callsByApi["ssm:DescribeInstancePatches"] ?? 0} | ${m.simulatedSeconds.toFixed(1)} | ${((100 * m.simulatedSeconds) / COLLECTOR_TIMEOUT_SECONDS).toFixed(0)} % | ${m.realSeconds.toFixed(1)} | ${m.heapMb.toFixed(0)} | ${m.partMib.toFixed(1)} |`;
    const slowest = Math.max(...rows.map((r) => r.at.simulatedSeconds));
    const promoteSeconds = promote.readSeconds + promote.decideSeconds;
    return [
      "# Evidence-gated promotion: collector, report step, promote",
      "",
      `The collector (the real \`collectTarget\`, compliance and evidence) on one account-region of an environment another is promoted from, every call answered by \`test/support/fake-evidence-account.ts\` (which enforces the SSM API Reference's page sizes and id patterns) after ${LATENCY_MS} ms, in simulated time (\`bench/virtual-clock.ts\`). Each instance lists ${30} patches in the states evidence keeps (mostly Installed; some Missing, Failed, InstalledPendingReboot, InstalledRejected: four instances in five miss a patch or failed one) and, as DescribeInstancePatches does, the others: Windows a dozen InstalledOther and 90 NotApplicable updates of other products, Linux 280 NotApplicable advisories of packages not installed (1,200 in the last fleet; these counts are assumptions, the page counts follow from them). The environment's weekly window ran five times in the 35-day lookback, a scan and an install task each; the latest install failed on one instance in fifty, so its invocations (one per instance) are read. DescribeInstancePatches is one call per 100 patches per instance, four instances at a time; the rest is fixed per target or per 50 instances. The collector's memory: the growth of this process's JS heap (sampled every 5 ms and before each garbage collection) over the collection, the fakes' fleet excluded.`,
      "",
      "| fleet | instances | patches listed per instance | calls | of them DescribeInstancePatches | simulated s | of the 240 s timeout | real s | JS heap (MB) | evidence part (MiB) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map((r) => collectorRow(r.at)),
      "",
      `Instances of one target at which the collector reaches its ${COLLECTOR_TIMEOUT_SECONDS} s timeout (from the sizes ${EVIDENCE_INSTANCES} and ${2 * EVIDENCE_INSTANCES}, rounded down to a hundred), measured at that size:`,
      "",
      "| fleet | instances | patches listed per instance | calls | of them DescribeInstancePatches | simulated s | of the 240 s timeout | real s | JS heap (MB) | evidence part (MiB) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map((r) => collectorRow(r.atLimit)),
      "",
      `Calls per API at ${EVIDENCE_INSTANCES} instances:`,
      "",
      `| API | ${rows.map((r) => r.at.mix.replace(/ \(.*/, "")).join(" | ")} |`,
      `|---|${rows.map(() => "---:").join("|")}|`,
      ...apis.map((api) => `| ${api} | ${rows.map((r) => r.at.callsByApi[api] ?? 0).join(" | ")} |`),
      "",
      `The report step over one evidence environment of ${EVIDENCE_REPORT.targets} account-regions × ${EVIDENCE_REPORT.instancesPerTarget} instances (Windows, Amazon Linux 2023 and 2, RHEL 9 and Ubuntu in turn, patches as above), each target's result and evidence part written by the real collector: the real \`writeReport\` reads the map run's result files, every result and part from an in-memory reports bucket (${LATENCY_MS} ms a call), joins the parts into one document and stores it in an in-memory evidence bucket (conditional writes as S3 applies them; stored objects kept outside the JS heap), once without evidence (as before) and once with it. Simulated seconds are the calls' latency; real seconds this process's work. Heap as above.`,
      "",
      "| report step | instances | simulated s | real s | JS heap (MB) | evidence document (MiB) |",
      "|---|---:|---:|---:|---:|---:|",
      ...reports.map(
        (r) =>
          `| ${r.withEvidence ? "with the environment's evidence" : "without evidence"} | ${r.instances} | ${r.simulatedSeconds.toFixed(1)} | ${r.realSeconds.toFixed(1)} | ${r.heapMb.toFixed(0)} | ${r.documentMib === undefined ? "—" : r.documentMib.toFixed(1)} |`,
      ),
      "",
      `\`npm run promote -- --from preprod --to prod\` on that document (the example organization's rules): \`readEvidence\` reads the environment's summary, then the document it names (from memory), parses and checks it; \`decidePromotion\` decides. Heap: the growth while reading, what stays of it (the parsed document), and the growth while deciding on top of that.`,
      "",
      "| instances | read and check (s) | decide (s) | heap while reading (MB) | document held (MB) | heap while deciding (MB) | patches promoted | held back |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|",
      `| ${promote.instances} | ${promote.readSeconds.toFixed(2)} | ${promote.decideSeconds.toFixed(2)} | ${promote.readHeapMb.toFixed(0)} | ${promote.documentHeapMb.toFixed(0)} | ${promote.decideHeapMb.toFixed(0)} | ${promote.promoted} | ${promote.heldBack} |`,
      "",
      `Targets: one target of ${EVIDENCE_INSTANCES} instances collected within half the collector's ${COLLECTOR_TIMEOUT_SECONDS} s timeout (${EVIDENCE_COLLECTOR_TARGET_SECONDS} s simulated) for every fleet — ${slowest < EVIDENCE_COLLECTOR_TARGET_SECONDS ? "met" : "NOT met"} (slowest ${slowest.toFixed(1)} s); the timeout is reached at ${rows.map((r) => `${r.limit}`).join(" / ")} instances in one target (the collector's ${COLLECTOR_MEMORY_MB} MB hold ${rows.every((r) => r.atLimit.heapMb < COLLECTOR_MEMORY_MB) ? "the JS heap at those sizes" : "NOT the JS heap at every one of those sizes"}); the report step's evidence of ${withEvidence.instances} instances under ${EVIDENCE_REPORT_HEAP_TARGET_MB} MB of JS heap (half the report function's ${REPORT_MEMORY_MB} MB) — ${withEvidence.heapMb < EVIDENCE_REPORT_HEAP_TARGET_MB ? "met" : "NOT met"} (${withEvidence.heapMb.toFixed(0)} MB, ${without.heapMb.toFixed(0)} MB without evidence); promote under ${PROMOTE_TARGET_SECONDS} s — ${promoteSeconds < PROMOTE_TARGET_SECONDS ? "met" : "NOT met"} (${promoteSeconds.toFixed(1)} s).`,
    ].join("\n");
  },
  async "synth-incremental"() {
    const rows = await incrementalSynthBenchmark([
      { shape: "3 environments", organization: { accounts: 1_000 } },
      { shape: "3 environments", organization: { accounts: 3_000 } },
      { shape: "3 environments", organization: { accounts: 10_000 } },
      { shape: "5 environments × 2,000", organization: { accounts: 10_000, environments: 5 } },
      { shape: "3 environments, 3 regions each", organization: { accounts: 10_000, regions: ["us-east-1", "eu-west-1", "ap-southeast-2"] } },
    ]);
    const largest = rows.filter((r) => r.accounts >= 10_000);
    return [
      "# Full and incremental synth at 1,000 / 3,000 / 10,000 accounts",
      "",
      "Generated organizations (`test/fixtures/organizations/generated.ts`): the accounts spread evenly over dev, preprod and prod (or over those and prod2, prod3: five environments of 2,000), two regions each unless the row says three, one stack per account plus central. `synthesize()` in one process with 2 synth workers (the function build excluded; it is cached too): a full synth into an empty folder, then an incremental one after one more prod account (what `cdktf synth` does by default), then one with nothing changed. Peak memory: the summed RSS of the process and its workers during the full synth, sampled every 100 ms. One run each.",
      "",
      "| organization | accounts | stacks | full synth (s) | peak memory (MB) | one account added (s) | stacks rendered | nothing changed (s) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.shape} | ${r.accounts} | ${r.stacks} | ${r.fullSeconds.toFixed(1)} | ${r.fullPeakMb.toFixed(0)} | ${r.oneAccountSeconds.toFixed(1)} | ${r.rendered} | ${r.unchangedSeconds.toFixed(1)} |`,
      ),
      "",
      `Targets: full synth of 10,000 accounts under ${FULL_SYNTH_10K_TARGET_SECONDS} s — ${largest.every((r) => r.fullSeconds < FULL_SYNTH_10K_TARGET_SECONDS) ? "met" : "NOT met"} (${largest.map((r) => `${r.fullSeconds.toFixed(0)} s`).join(", ")}); re-synth after one account under ${ONE_ACCOUNT_TARGET_SECONDS} s at every size — ${rows.every((r) => r.oneAccountSeconds < ONE_ACCOUNT_TARGET_SECONDS) ? "met" : "NOT met"}.`,
    ].join("\n");
  },
  async "central-limits"() {
    const rows = centralSizes([1_000, 3_000, 10_000]);
    const largest = rows.at(-1)!;
    return [
      "# The central stack and a compliance run at 1,000 / 3,000 / 10,000 accounts",
      "",
      "Generated organizations (`test/fixtures/organizations/generated.ts`), accounts spread over dev, preprod and prod, every account in three regions. The central documents are rendered with the builders the constructs use (`stacks/limits/artifacts.test.ts` ties them to the synthesized stack); the run's state is what ListTargets hands the Distributed Map.",
      "",
      "| accounts | account-regions | data bucket policy | log bucket policy | evidence bucket policy | approval definition | compliance definition | run state | targets file | fleet catalog | accounts table | central documents as at 1,000 |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
      ...rows.map(
        (r) =>
          `| ${r.accounts} | ${r.accountRegions} | ${r.complianceDataPolicyBytes} B | ${r.logBucketPolicyBytes} B | ${r.evidenceBucketPolicyBytes} B | ${kib(r.approvalDefinitionBytes)} | ${kib(r.complianceDefinitionBytes)} | ${r.runStateBytes} B | ${kib(r.targetsFileBytes)} | ${kib(r.fleetCatalogBytes)} | ${kib(r.accountsTableBytes)} | ${r.sameAsSmallest ? "byte-identical" : "DIFFERENT"} |`,
      ),
      "",
      `Headroom at ${largest.accounts} accounts: data bucket policy ${headroom(largest.complianceDataPolicyBytes, AWS.bucketPolicy)} below S3's 20 KB, log bucket policy ${headroom(largest.logBucketPolicyBytes, AWS.bucketPolicy)}, evidence bucket policy ${headroom(largest.evidenceBucketPolicyBytes, AWS.bucketPolicy)}, approval definition ${headroom(largest.approvalDefinitionBytes, AWS.definition)} below Step Functions' 1 MB, compliance definition ${headroom(largest.complianceDefinitionBytes, AWS.definition)}, run state ${headroom(largest.runStateBytes, AWS.statePayload)} below the 256 KiB state payload. Target: the central documents do not grow with the accounts — ${rows.every((r) => r.sameAsSmallest) ? "met" : "NOT met"}.`,
    ].join("\n");
  },
  async synth() {
    const rows = await synthBenchmark();
    const largest = rows.filter((r) => r.accountsPerEnvironment === LARGEST);
    const best = Math.min(...largest.map((r) => r.seconds));
    return [
      "# Synth time and peak memory",
      "",
      "Generated organizations (`test/fixtures/organizations/generated.ts`): N accounts in each of dev, preprod and prod, every account in two regions (at most 133 per environment, the size recorded since 2026-11-30), the example's baselines, windows and patch groups. Each run is a fresh process (`bench/synth-one.ts`) that validates the config and writes every stack, as `main.ts` does; peak memory is the summed RSS of the process and its synth workers. Median of 3 runs.",
      "",
      "| accounts / env | workers | stacks | resources | seconds | peak memory (MB) |",
      "|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) => `| ${r.accountsPerEnvironment} | ${r.workers} | ${r.stacks} | ${r.resources} | ${r.seconds.toFixed(1)} | ${r.peakTreeMb.toFixed(0)} |`,
      ),
      "",
      `Target: 3 × ${LARGEST} accounts under ${SYNTH_TARGET_SECONDS} s on this machine — ${best < SYNTH_TARGET_SECONDS ? "met" : "NOT met"} (${best.toFixed(1)} s).`,
    ].join("\n");
  },
  async functions() {
    const rows = await functionsBenchmark();
    const zipMet = rows.every((r) => r.zipKiB * 1.024 < ZIP_TARGET_KB);
    const importMet = rows.every((r) => r.medianImportMs < IMPORT_TARGET_MS);
    return [
      "# Lambda bundles: zip size and cold import",
      "",
      "Each function as `functions/build.ts` builds it (esbuild, ESM, minified, the SDK's ES module builds so only the clients and commands a handler imports are bundled; deterministic zip). Cold import: a fresh Node process imports the bundle's `index.mjs` with the function's environment set (module-scope SDK clients, logger, configuration), timed inside the process; median and slowest of 15 processes.",
      "",
      "| function | SDK clients | zip (KiB) | bundle (KiB) | cold import, median (ms) | slowest (ms) |",
      "|---|---|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.sdkClients.map((c) => c.replace("client-", "")).join(", ")} | ${r.zipKiB.toFixed(0)} | ${r.bundleKiB.toFixed(0)} | ${r.medianImportMs.toFixed(0)} | ${r.slowestImportMs.toFixed(0)} |`,
      ),
      "",
      `Targets: every zip under ${ZIP_TARGET_KB} KB — ${zipMet ? "met" : "NOT met"}; cold import under ${IMPORT_TARGET_MS} ms (median) — ${importMet ? "met" : "NOT met"}.`,
    ].join("\n");
  },
  async "plan-memory"() {
    const rows = await planMemory();
    const worst = Math.max(...rows.filter((r) => r.stack !== "central").map((r) => r.peakMb));
    return [
      "# Peak memory of terraform plan",
      "",
      "Offline mode (`-refresh=false`), after `terraform init` from the provider mirror. Peak of the summed RSS of terraform and its provider plugin processes, sampled every 50 ms from /proc.",
      "",
      "| organization | stack | peak memory (MB) | seconds |",
      "|---|---|---:|---:|",
      ...rows.map((r) => `| ${r.organization} | ${r.stack} | ${r.peakMb.toFixed(0)} | ${r.seconds.toFixed(1)} |`),
      "",
      `Target: one member stack under ${PLAN_TARGET_MB} MB whatever the organization's size — ${worst < PLAN_TARGET_MB ? "met" : "NOT met"} (${worst.toFixed(0)} MB).`,
      centralConstant(rows.filter((r) => r.stack === "central" && r.organization.startsWith("generated"))),
    ].join("\n");
  },
  async "plan-shards"() {
    return renderPlanShards(await planShardsBenchmark([8, 16, 4, 1]), PLAN_SHARDS_GOAL_MINUTES, PLAN_SHARDS_GOAL_SHARDS);
  },
  async "plan-regions"() {
    const rows = await planMemoryByRegions([1, 2, 4, 8, 17]);
    const over = rows.filter((r) => r.largestMb >= PLAN_TARGET_MB);
    return [
      "# Peak memory of terraform plan by regions, one member account",
      "",
      "One member account of the generated organization in 1, 2, 4, 8 and 17 regions (the commercial regions enabled by default), laid out as patchline renders it with the default `org.maxRegionsPerStack` (6): the account's stack holds its first six regions, each further region has a stack of its own. Every stack of the account is planned, one after the other: offline mode (`-refresh=false`) after `terraform init` from the provider mirror; peak of the summed RSS of terraform and its provider processes, sampled every 50 ms.",
      "",
      "| regions | stacks | largest stack's peak memory (MB) | all the account's plans (s) |",
      "|---:|---:|---:|---:|",
      ...rows.map((r) => `| ${r.regions} | ${r.stacks} | ${r.largestMb.toFixed(0)} | ${r.seconds.toFixed(1)} |`),
      "",
      `Target: every stack's plan under ${PLAN_TARGET_MB} MB whatever the regions — ${over.length === 0 ? "met" : `NOT met (${over.map((r) => `${r.regions} regions`).join(", ")})`}.`,
    ].join("\n");
  },
  async "change-detection"() {
    const r = await changeDetectionBenchmark();
    return [
      "# Change detection of plan-stacks",
      "",
      "`npm run plan-stacks -- --base <outdir>` compares every synthesized file of every stack of the base and head synths to plan only the stacks that differ. Generated organization (`test/fixtures/organizations/generated.ts`), head = base with one more rejected patch in prod. Median of 3 runs, synth not included.",
      "",
      "| accounts / env | stacks | changed | unchanged | seconds |",
      "|---:|---:|---:|---:|---:|",
      `| ${r.accountsPerEnvironment} | ${r.stacks} | ${r.changed} | ${r.unchanged} | ${r.seconds.toFixed(2)} |`,
      "",
      `Target: under ${CHANGE_DETECTION_TARGET_SECONDS} s for 3 × ${LARGEST} accounts — ${r.seconds < CHANGE_DETECTION_TARGET_SECONDS ? "met" : "NOT met"} (${r.seconds.toFixed(2)} s).`,
    ].join("\n");
  },
  async collection() {
    const rows = await collectionBenchmark({ concurrencies: [CONFIGURED_CONCURRENCY, 40] });
    const at = (pattern: string) => rows.find((r) => r.pattern === pattern && r.concurrency === CONFIGURED_CONCURRENCY)!;
    const ours = at("patchline collector");
    const naive = at("naive: per-instance calls");
    const ratio = naive.totalCalls / ours.totalCalls;
    const perTarget = (n: number) => (n / ours.targets).toFixed(0);
    return [
      "# Compliance collection",
      "",
      `A simulated organization of ${ours.targets} account-regions with ${ours.instancesPerTarget} instances each (half of them non-compliant, one in twenty failing a coverage rule, four coverage rules). Every call is answered by an in-process fake of the member account (\`test/support/fake-member-account.ts\`, which enforces the APIs' page and batch limits) after ${LATENCY_MS} ms, in simulated time (\`bench/virtual-clock.ts\`). "patchline collector" is the real \`collectTarget\` of the collector function, run per target at the Map's concurrency; "naive" lists every instance, then asks for each instance's compliance and tags one by one. Simulated seconds are the collection's wall time; real seconds what the simulation took.`,
      "",
      "| pattern | concurrency | calls | member API calls | calls per target | simulated s | real s |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.pattern} | ${r.concurrency} | ${r.totalCalls} | ${r.memberCalls} | ${perTarget(r.totalCalls)} | ${r.simulatedSeconds.toFixed(1)} | ${r.realSeconds.toFixed(1)} |`,
      ),
      "",
      `Calls per API, patchline collector: ${Object.entries(ours.callsByApi)
        .map(([api, n]) => `${api} ${n}`)
        .join(", ")}.`,
      "",
      `Calls per API, naive: ${Object.entries(naive.callsByApi)
        .map(([api, n]) => `${api} ${n}`)
        .join(", ")}.`,
      "",
      `Targets at the configured concurrency (${CONFIGURED_CONCURRENCY}): at least ${COLLECTION_TARGET_CALL_RATIO}× fewer calls than the naive pattern — ${ratio >= COLLECTION_TARGET_CALL_RATIO ? "met" : "NOT met"} (${ratio.toFixed(1)}×); collection under ${COLLECTION_TARGET_SECONDS} s simulated — ${ours.simulatedSeconds < COLLECTION_TARGET_SECONDS ? "met" : "NOT met"} (${ours.simulatedSeconds.toFixed(1)} s).`,
      "",
      ...(await slaCollectionSection(ours)),
    ].join("\n");
  },
};

/**
 * The collection with a patch SLA: the same organization, every non-compliant instance's missing
 * patches and each target's distinct KBs read besides; and one target growing until the SLA's
 * calls would take the collector to its timeout.
 */
async function slaCollectionSection(without: { totalCalls: number; targets: number; simulatedSeconds: number }): Promise<string[]> {
  const rows: SlaCollectionMeasurement[] = [];
  for (const concurrency of [CONFIGURED_CONCURRENCY, 40]) rows.push(await collectWithSla(without.targets, 500, concurrency));
  const small = await collectWithSla(1, 500, 1);
  const large = await collectWithSla(1, 5000, 1);
  const limit = instancesReachingWithSla(COLLECTOR_TIMEOUT_SECONDS, small, large);
  const atLimit = await collectWithSla(1, limit, 1);
  const first = rows[0]!;
  // the timeout is the collector's, per target: an organization's wall time is not measured against it
  const row = (r: SlaCollectionMeasurement, what: string) =>
    `| ${what} | ${r.concurrency} | ${r.targets} × ${r.instancesPerTarget} | ${r.totalCalls} | ${(r.totalCalls / r.targets).toFixed(0)} | ${r.simulatedSeconds.toFixed(1)} | ${r.targets === 1 ? `${((100 * r.simulatedSeconds) / COLLECTOR_TIMEOUT_SECONDS).toFixed(0)} %` : "—"} | ${r.realSeconds.toFixed(1)} | ${r.slaBreaches} | ${r.lines} | ${(r.bytes / 1024 ** 2).toFixed(1)} |`;
  return [
    "## With a patch SLA",
    "",
    `The same organization with \`org.compliance.sla\` ${JSON.stringify(SLA)} (\`bench/collection-sla.ts\`): half the instances Windows, missing updates of sixteen KBs (each in the region's catalog for three products, released 5 to 350 days before the run), half Linux, missing packages, which no API dates. The collector reads each non-compliant instance's Missing patches (and Failed ones where its patch state counts some; 100 a page, four instances at a time) and each distinct KB of a target once (DescribeAvailablePatches), and writes a target's missing patches to the data bucket. The "of the 240 s timeout" column is the collector's time on one target against its timeout.`,
    "",
    "| collection | concurrency | targets × instances | calls | calls per target | simulated s | of the 240 s timeout | real s | instances past SLA | missing_patches lines | MiB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => row(r, "organization")),
    row(small, "one target"),
    row(large, "one target"),
    row(atLimit, "one target at the timeout"),
    "",
    `Calls per API with the SLA (organization, concurrency ${CONFIGURED_CONCURRENCY}): ${Object.entries(first.callsByApi)
      .map(([api, n]) => `${api} ${n}`)
      .join(", ")}.`,
    "",
    `The SLA adds ${first.totalCalls - without.totalCalls} calls to the ${without.totalCalls} of the collection without it (${(first.totalCalls / without.totalCalls).toFixed(1)} times the calls, nearly all of them one DescribeInstancePatches per non-compliant instance) and ${(first.simulatedSeconds - without.simulatedSeconds).toFixed(1)} s simulated at concurrency ${CONFIGURED_CONCURRENCY}; one target reaches the collector's ${COLLECTOR_TIMEOUT_SECONDS} s at about ${limit} instances (half non-compliant), ${limit >= 2 * 500 ? "well above" : "NOT above"} the ${500} of this organization's targets.`,
  ];
}

function machine(): string {
  const terraform = execFileSync("terraform", ["version"], { encoding: "utf8" }).split("\n")[0];
  return `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}, ${terraform}. Recorded ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- <name>\`.`;
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(benchmarks)) {
  const report = `${await benchmarks[name]!()}\n\n${machine()}\n`;
  const file = fileURLToPath(new URL(`./results/${name}.md`, import.meta.url));
  writeFileSync(file, report);
  console.log(report);
}
