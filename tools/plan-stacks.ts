import { writeFileSync } from "node:fs";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { runProcess, type ProcessRunner } from "./lib/process.js";
import { compareSynths, stacksIn } from "./plan-stacks/changed.js";
import { planStacks } from "./plan-stacks/plan.js";
import { regionMoves } from "./plan-stacks/region-moves.js";
import type { PlanSummary } from "./plan-stacks/summary.js";

const usage = `usage: npm run plan-stacks -- --out <folder> [--base <outdir>] [--head <outdir>] [--summary <file>] [--parallelism <n>] [--memory <MB>] [--dry-run]

Plans the stacks of a synth (--head, default cdktf.out) with terraform and writes each plan as
<folder>/<stack>.json ("terraform show -json"), the input of npm run plan-review. With --base (the
synth of the base branch) only stacks whose synthesized files differ, and new ones, are planned;
removed stacks are reported. Plans run --parallelism (default 2) at a time, without the state lock,
and together within --memory (default 6144 MB: a 7 GB GitHub-hosted runner with room for Node),
each estimated from its stack's regions (0.29 GB + 0.24 GB per region); a stack estimated above
the budget plans alone.
--summary writes what was planned, unchanged, removed and failed, for plan-review --summary.
Exits 1 when a stack fails to plan (the others are still planned), or when a region of an account
moves between its stacks (its state must be moved before a deploy).`;

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
        parallelism: { type: "string", default: "2" },
        memory: { type: "string", default: "6144" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  if (!values.out) {
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

  let stacks;
  try {
    stacks = values.base ? compareSynths(values.base, values.head) : { changed: stacksIn(values.head), added: [], removed: [], unchanged: [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    io.error((error as Error).message);
    return 2;
  }
  const toPlan = [...stacks.changed, ...stacks.added].sort();
  const counts = `${toPlan.length} to plan (${stacks.changed.length} changed, ${stacks.added.length} new), ${stacks.unchanged.length} unchanged, ${stacks.removed.length} removed`;
  if (values["dry-run"]) {
    io.print([counts, ...toPlan.map((s) => `  plan ${s}`), ...stacks.removed.map((s) => `  removed ${s}`)].join("\n"));
    return 0;
  }
  io.print(counts);
  // a region moving between an account's stacks needs its state moved before any deploy
  const moves = values.base ? regionMoves(values.base, values.head, toPlan) : [];
  const failed = await planStacks({ stacks: toPlan, outdir: values.head, planDir: values.out, parallelism, memoryMb, run: deps.run, log: io.print });
  const summary: PlanSummary = { planned: toPlan, removed: stacks.removed, unchanged: stacks.unchanged, failed };
  if (values.summary) writeFileSync(values.summary, `${JSON.stringify(summary, null, 2)}\n`);
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
