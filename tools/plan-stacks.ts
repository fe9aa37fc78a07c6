import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { runProcess, type ProcessRunner } from "./lib/process.js";
import { compareSynths, stacksIn } from "./plan-stacks/changed.js";
import { DEFAULT_PLAN_MEMORY_MB } from "./plan-stacks/memory-budget.js";
import { planStacks } from "./plan-stacks/plan.js";
import { regionMoves } from "./plan-stacks/region-moves.js";
import { MAX_SHARDS, parseShard, partition, ShardError, shardCount, stackCostSeconds, type Shard } from "./plan-stacks/shards.js";
import type { PlanSummary } from "./plan-stacks/summary.js";

const usage = `usage: npm run plan-stacks -- --out <folder> [--base <outdir>] [--head <outdir>] [--summary <file>] [--shard <k/n>] [--parallelism <n>] [--memory <MB>] [--dry-run]
       npm run plan-stacks -- --matrix <file> [--base <outdir>] [--head <outdir>] [--stacks-per-shard <n>] [--max-shards <n>]

Plans the stacks of a synth (--head, default cdktf.out) with terraform and writes each plan as
<folder>/<stack>.json ("terraform show -json"), the input of npm run plan-review. With --base (the
synth of the base branch) only stacks whose synthesized files differ, and new ones, are planned;
removed stacks are reported. Plans run --parallelism (default 2) at a time, without the state lock,
and together within --memory (default 6144 MB: a 7 GB GitHub-hosted runner with room for Node),
each estimated from its stack's regions (0.29 GB + 0.24 GB per region); a stack estimated above
the budget plans alone.
A plan without changes writes no file (plan -detailed-exitcode; show -json is skipped). With a
plugin cache (TF_PLUGIN_CACHE_DIR) the provider is installed once, then linked into every stack.
--summary writes what was planned, unchanged, removed and failed, and each stack's init, plan and
show seconds, for plan-review --summary.
--shard k/n plans only the k-th of n parts of the stacks to plan, split by cost (regions per stack,
central weighted) the same way on every runner; plan-review --summary <folder> merges the shards'
summaries. --matrix writes the shards a GitHub Actions matrix runs ({"shard":["1/4",…]}): one per
--stacks-per-shard (default 40) stacks to plan, at most --max-shards (default 8); it plans nothing.
Exits 1 when a stack fails to plan (the others are still planned), or when a region of an account
moves between its stacks (its state must be moved before a deploy).`;

const writeFile = (file: string, text: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};

export interface PlanStacksDeps {
  readonly io: CommandIo;
  readonly run: ProcessRunner;
}

/** What `npm run plan-stacks` runs; returns the exit code. */
export async function planStacksCommand(argv: readonly string[], deps: PlanStacksDeps): Promise<number> {
  const { io } = deps;
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        out: { type: "string" },
        base: { type: "string" },
        head: { type: "string", default: "cdktf.out" },
        summary: { type: "string" },
        shard: { type: "string" },
        matrix: { type: "string" },
        "stacks-per-shard": { type: "string", default: "40" },
        "max-shards": { type: "string", default: "8" },
        parallelism: { type: "string", default: "2" },
        memory: { type: "string", default: String(DEFAULT_PLAN_MEMORY_MB) },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  if (!values.out && !values.matrix) {
    io.error(`--out is required: the folder the plans are written to\n\n${usage}`);
    return 2;
  }
  const parallelism = Number(values.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 16) {
    io.error(`--parallelism: ${JSON.stringify(values.parallelism)} is not a number of stacks: a whole number from 1 to 16`);
    return 2;
  }

  const memoryMb = Number(values.memory);
  if (!Number.isInteger(memoryMb) || memoryMb < 1024 || memoryMb > 1_048_576) {
    io.error(`--memory: ${JSON.stringify(values.memory)} is not an amount of memory: a whole number of MB from 1024 to 1048576`);
    return 2;
  }

  const wholeNumber = (option: string, max: number): number | undefined => {
    const n = Number(values[option as keyof typeof values]);
    if (Number.isInteger(n) && n >= 1 && n <= max) return n;
    io.error(`--${option}: ${JSON.stringify(values[option as keyof typeof values])} is not a whole number from 1 to ${max}`);
    return undefined;
  };
  const stacksPerShard = wholeNumber("stacks-per-shard", 100_000);
  const maxShards = wholeNumber("max-shards", MAX_SHARDS);
  if (stacksPerShard === undefined || maxShards === undefined) return 2;
  let shard: Shard | undefined;
  try {
    shard = values.shard === undefined ? undefined : parseShard(values.shard);
  } catch (error) {
    if (!(error instanceof ShardError)) throw error;
    io.error(error.message);
    return 2;
  }

  let stacks;
  try {
    stacks = values.base ? compareSynths(values.base, values.head) : { changed: stacksIn(values.head), added: [], removed: [], unchanged: [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    io.error((error as Error).message);
    return 2;
  }
  const allToPlan = [...stacks.changed, ...stacks.added].sort();
  const counts = `${allToPlan.length} to plan (${stacks.changed.length} changed, ${stacks.added.length} new), ${stacks.unchanged.length} unchanged, ${stacks.removed.length} removed`;
  if (values.matrix) {
    const count = shardCount(allToPlan.length, stacksPerShard, maxShards);
    writeFile(values.matrix, `${JSON.stringify({ shard: Array.from({ length: count }, (_, i) => `${i + 1}/${count}`) })}\n`);
    io.print(`${counts}: ${count} shard${count === 1 ? "" : "s"}`);
    return 0;
  }
  const split = shard ? partition(allToPlan, shard.count, (stack) => stackCostSeconds(stack, values.head)) : undefined;
  const toPlan = split && shard ? split[shard.index - 1]! : allToPlan;
  const shardLine = shard ? `shard ${shard.index}/${shard.count}: ${toPlan.length} of ${allToPlan.length} to plan` : undefined;
  if (values["dry-run"]) {
    io.print([counts, ...(shardLine ? [shardLine] : []), ...toPlan.map((s) => `  plan ${s}`), ...stacks.removed.map((s) => `  removed ${s}`)].join("\n"));
    return 0;
  }
  io.print(counts);
  if (shardLine) io.print(shardLine);
  // a region moving between an account's stacks needs its state moved before any deploy
  const moves = values.base ? regionMoves(values.base, values.head, toPlan) : [];
  const { failed, withoutChanges, timings } = await planStacks({
    stacks: toPlan,
    outdir: values.head,
    planDir: values.out!,
    parallelism,
    memoryMb,
    run: deps.run,
    log: io.print,
  });
  const summary: PlanSummary = {
    planned: toPlan,
    removed: stacks.removed,
    unchanged: stacks.unchanged,
    withoutChanges,
    failed,
    regionMoves: moves,
    ...(shard && split ? { shard: { ...shard, stacks: split } } : {}),
    timings: Object.fromEntries([...timings].sort(([a], [b]) => a.localeCompare(b))),
  };
  if (values.summary) writeFile(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
  if (failed.length > 0) io.error(failed.map((f) => `${f.stack}: ${f.error}`).join("\n\n"));
  for (const move of moves)
    io.error(
      `${move.from} → ${move.to}: region ${move.region} moves to another stack; deployed as it is, one stack destroys its resources while the other creates them under the same names: move their state first (docs/configuration.md, "Accounts in many regions")`,
    );
  return failed.length > 0 || moves.length > 0 ? 1 : 0;
}

if (isMain(import.meta.url)) {
  process.exitCode = await planStacksCommand(process.argv.slice(2), {
    io: { print: console.log, error: console.error, now: () => new Date() },
    run: runProcess,
  });
}
