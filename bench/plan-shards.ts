import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { buildApp } from "../stacks/app/app.js";
import { generatedOrganization } from "../test/fixtures/organizations/generated.js";
import { findProviderMirror } from "../test/support/prerequisites.js";
import { terraformEnv, terraformVersion } from "../test/support/terraform.js";
import { runProcess } from "../tools/lib/process.js";
import { planReviewCommand } from "../tools/plan-review.js";
import { planStacksCommand } from "../tools/plan-stacks.js";
import type { PlanSummary } from "../tools/plan-stacks/summary.js";
import { startValidationEndpoint } from "../tools/sfn-validation-endpoint.js";

/**
 * A prod-wide change (prod's approve-after-days 14 → 21) in a generated organization of 300 prod
 * accounts in two regions (and 2 dev, 2 preprod), planned offline as the pull-request workflow
 * plans it: `plan-stacks --base --head --shard k/n --parallelism 2` for every shard of each shard
 * count, one shard after another on this machine (each as a fresh runner: no initialized stack,
 * an empty plugin cache), then `plan-review` merging the shards' plans and summaries.
 * Makespan = slowest shard + merge: what a matrix of n runners of this machine's size takes.
 */
export interface ShardRun {
  readonly shard: string;
  readonly stacks: number;
  readonly seconds: number;
}

export interface ShardCountResult {
  readonly shards: number;
  readonly runs: readonly ShardRun[];
  readonly slowestSeconds: number;
  readonly mergeSeconds: number;
  readonly makespanSeconds: number;
  /** Every shard's seconds added up: what one runner would take, run after run. */
  readonly totalSeconds: number;
}

export interface PlanShardsResult {
  /** Prod accounts of the generated organization. */
  readonly accounts: number;
  readonly stacksToPlan: number;
  readonly byShardCount: readonly ShardCountResult[];
  /** Mean seconds per stack of terraform init, plan and show -json (from the summaries). */
  readonly perStack: { readonly init: number; readonly plan: number; readonly show: number; readonly stacks: number };
  /** The review of every stack: Markdown length before the comment limit, and the JSON's size. */
  readonly review: { readonly markdownChars: number; readonly commentChars: number; readonly jsonBytes: number; readonly lines: number };
}

export const PROD_ACCOUNTS = 300;
export const COMMENT_LIMIT = 60_000;

let prodAccounts = PROD_ACCOUNTS;
function organization(prodDays: number): OrgConfigInput {
  const input = generatedOrganization({ accounts: [2, 2, prodAccounts] });
  return { ...input, environments: { ...input.environments, prod: { ...input.environments.prod!, approveAfterDays: prodDays } } };
}

/** What terraform wrote into the stack folders: a fresh runner has none of it. */
function resetStacks(outdir: string): void {
  for (const stack of readdirSync(join(outdir, "stacks"))) {
    for (const name of [".terraform", ".terraform.lock.hcl", "plan.tfplan"]) rmSync(join(outdir, "stacks", stack, name), { recursive: true, force: true });
  }
}

/**
 * Shard k of n as a fresh runner plans it: no initialized stack, its own empty plugin cache.
 * Its plans and summary land in the work folder for the review phase.
 */
async function planShard(n: number, k: number, validationEnv: Record<string, string>): Promise<ShardRun & { stacksToPlan: number }> {
  const [base, head] = [join(WORK, "base"), join(WORK, "head")];
  resetStacks(head);
  const cache = join(WORK, `plugin-cache-${n}-${k}`);
  mkdirSync(cache, { recursive: true });
  const env = terraformEnv({ ...validationEnv, TF_PLUGIN_CACHE_DIR: cache });
  const summaryFile = join(WORK, `summaries-${n}`, `shard-${k}.json`);
  const errors: string[] = [];
  const io = { print: () => undefined, error: (t: string) => errors.push(t), now: () => new Date("2026-12-01T00:00:00Z") };
  const start = performance.now();
  const args = ["--base", base, "--head", head, "--out", join(WORK, `plans-${n}`), "--summary", summaryFile, "--shard", `${k}/${n}`, "--parallelism", "2"];
  const code = await planStacksCommand(args, { io, run: (command, a, options) => runProcess(command, a, { ...options, env }) });
  const took = seconds(start);
  rmSync(cache, { recursive: true, force: true });
  if (code !== 0) throw new Error(`plan-stacks --shard ${k}/${n} exited ${code}: ${errors.join("\n")}`);
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as PlanSummary;
  return { shard: `${k}/${n}`, stacks: summary.planned.length, seconds: took, stacksToPlan: summary.shard?.stacks.flat().length ?? summary.planned.length };
}

/** As the terraform test tier does: the provider from a mirror on this machine, else the registry. */
function useProviderMirror(): void {
  terraformVersion();
  const mirror = findProviderMirror();
  if (mirror) process.env.PATCHLINE_PROVIDER_MIRROR = mirror;
}

/** Where the synths, plans and reviews stay after a run (the review phase can be re-run on them). */
const WORK = join(tmpdir(), "patchline-plan-shards");

/** plan-review's io in the benchmark: its output goes to files. */
const QUIET = { print: () => undefined, error: () => undefined, now: () => new Date("2026-12-01T00:00:00Z") };

const seconds = (start: number) => (performance.now() - start) / 1000;

export async function planShardsBenchmark(
  shardCounts: readonly number[],
  log: (line: string) => void = () => undefined,
  accounts = PROD_ACCOUNTS,
): Promise<PlanShardsResult> {
  prodAccounts = accounts;
  useProviderMirror();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const [base, head] = [join(WORK, "base"), join(WORK, "head")];
  const artifacts = loadFunctionArtifacts();
  buildApp({ config: parseOrgConfig(organization(14)), mode: { offline: true }, artifacts, outdir: base }).synth();
  buildApp({ config: parseOrgConfig(organization(21)), mode: { offline: true }, artifacts, outdir: head }).synth();
  const validation = await startValidationEndpoint();
  const results: Array<Pick<ShardCountResult, "shards" | "runs">> = [];
  let stacksToPlan = 0;
  try {
    for (const n of shardCounts) {
      const runs: ShardRun[] = [];
      for (let k = 1; k <= n; k++) {
        const run = await planShard(n, k, validation.env);
        runs.push(run);
        stacksToPlan = run.stacksToPlan;
        log(`shard ${k}/${n}: ${run.stacks} stacks in ${run.seconds.toFixed(1)} s`);
      }
      results.push({ shards: n, runs });
    }
  } finally {
    validation.stop();
  }
  return reviewShards(accounts, stacksToPlan, results);
}

/**
 * The review job of each shard count, on the plans and summaries its shards left in the work
 * folder: `plan-review` merging them (timed), and the sizes of the review of 300 stacks.
 */
export function reviewShards(accounts: number, stacksToPlan: number, planned: ReadonlyArray<Pick<ShardCountResult, "shards" | "runs">>): PlanShardsResult {
  prodAccounts = accounts;
  const byShardCount = planned.map(({ shards: n, runs }): ShardCountResult => {
    const review = join(WORK, `review-${n}`);
    const start = performance.now();
    const args = [join(WORK, `plans-${n}`), "--summary", join(WORK, `summaries-${n}`), "--markdown", `${review}.md`, "--json", `${review}.json`];
    const code = planReviewCommand([...args, "--max-length", String(COMMENT_LIMIT)], QUIET, organization(21));
    if (code !== 0) throw new Error(`plan-review of ${n} shards exited ${code}`);
    const mergeSeconds = seconds(start);
    const slowestSeconds = Math.max(...runs.map((r) => r.seconds));
    return {
      shards: n,
      runs,
      slowestSeconds,
      mergeSeconds,
      makespanSeconds: slowestSeconds + mergeSeconds,
      totalSeconds: runs.reduce((sum, r) => sum + r.seconds, 0),
    };
  });
  const last = planned.at(-1)!.shards;
  return {
    accounts,
    stacksToPlan,
    byShardCount,
    perStack: perStack(join(WORK, `summaries-${last}`)),
    review: reviewSize(join(WORK, `plans-${last}`), join(WORK, `summaries-${last}`)),
  };
}

function perStack(summaries: string): PlanShardsResult["perStack"] {
  const timings = readdirSync(summaries).flatMap((f) => Object.values((JSON.parse(readFileSync(join(summaries, f), "utf8")) as PlanSummary).timings ?? {}));
  if (timings.length === 0) throw new Error(`${summaries}: no stack timings; was anything planned?`);
  const mean = (pick: (t: (typeof timings)[number]) => number | undefined) => timings.reduce((sum, t) => sum + (pick(t) ?? 0), 0) / timings.length;
  return { init: mean((t) => t.init), plan: mean((t) => t.plan), show: mean((t) => t.show), stacks: timings.length };
}

/** The whole review (no length limit) and the comment cut to the limit the workflow passes. */
function reviewSize(plans: string, summaries: string): PlanShardsResult["review"] {
  const whole = join(WORK, "review-whole");
  planReviewCommand([plans, "--summary", summaries, "--markdown", `${whole}.md`, "--json", `${whole}.json`], QUIET, organization(21));
  const markdown = readFileSync(`${whole}.md`, "utf8");
  const comment = readFileSync(join(WORK, `review-${basename(plans).slice("plans-".length)}.md`), "utf8");
  return {
    markdownChars: markdown.length,
    commentChars: comment.length,
    jsonBytes: readFileSync(`${whole}.json`).length,
    lines: markdown.split("\n").length,
  };
}

/** The recorded results, as bench/results/plan-shards.md has them. */
export function renderPlanShards(r: PlanShardsResult, goalMinutes: number, goalShards: number): string {
  const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
  const atGoal = r.byShardCount.filter((row) => row.shards <= goalShards).sort((a, b) => a.makespanSeconds - b.makespanSeconds)[0];
  return [
    `# Pull-request plans of a prod-wide change at ${r.accounts} prod accounts, in shards`,
    "",
    `A generated organization of ${r.accounts} prod accounts in two regions (and 2 dev, 2 preprod); the change: prod's approve-after-days 14 → 21, which changes every prod stack (${r.stacksToPlan} stacks to plan). Offline plans (no state, no refresh: nothing to read) as the pull-request workflow runs them: \`plan-stacks --base --head --shard k/n --parallelism 2\`, every shard of each shard count run for real on this machine, one after another, each as a fresh runner (stack folders without \`.terraform\`, an empty plugin cache filled from the provider mirror); then \`plan-review\` merging every shard's plans and summaries, as the review job does. Makespan = slowest shard + merge: what the matrix takes on runners of this machine's size (2 cores), not counting each job's checkout, npm ci and artifact transfer (about a minute on GitHub-hosted runners).`,
    "",
    "| shards | stacks per shard | slowest shard | merge (plan-review) | makespan | all shards added up |",
    "|---:|---:|---:|---:|---:|---:|",
    ...r.byShardCount.map(
      (row) =>
        `| ${row.shards} | ${Math.min(...row.runs.map((x) => x.stacks))}–${Math.max(...row.runs.map((x) => x.stacks))} | ${row.slowestSeconds.toFixed(0)} s | ${row.mergeSeconds.toFixed(1)} s | ${minutes(row.makespanSeconds)} | ${minutes(row.totalSeconds)} |`,
    ),
    "",
    `Per stack (mean of the ${r.perStack.stacks} stacks of the last shard count, two plans side by side on 2 cores): init ${r.perStack.init.toFixed(1)} s, plan ${r.perStack.plan.toFixed(1)} s, show -json ${r.perStack.show.toFixed(1)} s.`,
    "",
    `The review of all ${r.stacksToPlan} stacks: ${r.review.markdownChars.toLocaleString("en-US")} characters of Markdown in ${r.review.lines} lines (the comment: ${r.review.commentChars.toLocaleString("en-US")} characters, limit ${COMMENT_LIMIT.toLocaleString("en-US")}); the JSON with every stack's findings and plan fingerprint: ${(r.review.jsonBytes / 1024 / 1024).toFixed(1)} MiB.`,
    "",
    `Goal: the review in under ${goalMinutes} minutes with at most ${goalShards} shards — ${atGoal && atGoal.makespanSeconds < goalMinutes * 60 ? `met (${minutes(atGoal.makespanSeconds)} with ${atGoal.shards})` : "NOT met"}.`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // tsx bench/plan-shards.ts <prod accounts> <shard count>...   plans and reviews
  // tsx bench/plan-shards.ts review <saved result JSON>          reviews the plans a run left again
  // tsx bench/plan-shards.ts rerun <saved result JSON> <n> <k>... plans shards k of n again (a run disturbed by other work), then reviews
  const out = join(tmpdir(), "patchline-plan-shards-result.json");
  let result: PlanShardsResult;
  if (process.argv[2] === "review" || process.argv[2] === "rerun") {
    const saved = JSON.parse(readFileSync(process.argv[3]!, "utf8")) as PlanShardsResult;
    const byShardCount = saved.byShardCount.map((row) => ({ shards: row.shards, runs: [...row.runs] }));
    if (process.argv[2] === "rerun") {
      const [n, ...ks] = process.argv.slice(4).map(Number);
      useProviderMirror();
      const validation = await startValidationEndpoint();
      try {
        for (const k of ks) {
          const { stacksToPlan: _, ...run } = await planShard(n!, k, validation.env);
          const row = byShardCount.find((r) => r.shards === n)!;
          row.runs[k - 1] = run;
          console.log(`shard ${k}/${n}: ${run.stacks} stacks in ${run.seconds.toFixed(1)} s (again)`);
        }
      } finally {
        validation.stop();
      }
    }
    result = reviewShards(saved.accounts ?? PROD_ACCOUNTS, saved.stacksToPlan, byShardCount);
  } else {
    const [accounts, ...counts] = process.argv.slice(2).map(Number);
    result = await planShardsBenchmark(counts.length > 0 ? counts : [8, 16, 4, 1], console.log, accounts ?? PROD_ACCOUNTS);
  }
  if (existsSync(out)) rmSync(out);
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
}
