import { fileURLToPath } from "node:url";
import { runMeasured } from "./process-tree.js";

/**
 * The largest size the recorded synth results measure: 3 × 133 × 2 = 798 account-regions was the
 * most an inline-Map compliance run carried until 2026-12-01; the size is kept so that the recorded
 * results stay comparable (no limit depends on the number of accounts any more).
 */
export const LARGEST_VALID_ACCOUNTS_PER_ENVIRONMENT = 133;

/**
 * Synth time and peak memory for generated organizations of 10, 100 and 133 accounts per
 * environment (dev, preprod, prod; two regions per account). Each run is a fresh process
 * (`bench/synth-one.ts`), so module loading is included and memory does not carry over.
 */
export interface SynthMeasurement {
  readonly accountsPerEnvironment: number;
  readonly workers: number;
  readonly stacks: number;
  readonly resources: number;
  readonly seconds: number;
  /** Peak of the summed RSS of the synth process and its workers. */
  readonly peakTreeMb: number;
}

export async function measureSynth(accountsPerEnvironment: number, workers: number): Promise<SynthMeasurement> {
  const script = fileURLToPath(new URL("./synth-one.ts", import.meta.url));
  let stdout = "";
  const run = await runMeasured(process.execPath, ["--import", "tsx", script, String(accountsPerEnvironment), String(workers)], {
    cwd: process.cwd(),
    env: process.env,
    onStdout: (chunk) => (stdout += chunk),
  });
  if (run.code !== 0) throw new Error(`synth of ${accountsPerEnvironment} accounts failed:\n${run.stderr}`);
  const result = JSON.parse(stdout.trim().split("\n").pop()!) as Omit<SynthMeasurement, "peakTreeMb">;
  return { ...result, peakTreeMb: run.peakBytes / 1024 / 1024 };
}

/** Median of `repetitions` runs per size, for one worker and for the default of main.ts on this machine. */
export async function synthBenchmark(
  sizes: readonly number[] = [10, 100, LARGEST_VALID_ACCOUNTS_PER_ENVIRONMENT],
  workerCounts: readonly number[] = [1, 2],
  repetitions = 3,
): Promise<SynthMeasurement[]> {
  const results: SynthMeasurement[] = [];
  for (const size of sizes) {
    for (const workers of workerCounts) {
      const runs: SynthMeasurement[] = [];
      for (let i = 0; i < repetitions; i++) runs.push(await measureSynth(size, workers));
      runs.sort((a, b) => a.seconds - b.seconds);
      results.push(runs[Math.floor(runs.length / 2)]!);
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await synthBenchmark()) {
    console.log(
      `${m.accountsPerEnvironment}/env, ${m.workers} worker(s): ${m.stacks} stacks, ${m.resources} resources, ${m.seconds.toFixed(1)} s, peak ${m.peakTreeMb.toFixed(0)} MB`,
    );
  }
}
