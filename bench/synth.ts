import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Synth time and peak memory for generated organizations of 10, 100 and 300 accounts per
 * environment (dev, preprod, prod; two regions per account). Each run is a fresh process
 * (`bench/synth-one.ts`), so module loading is included and memory does not carry over.
 */
export interface SynthMeasurement {
  readonly accountsPerEnvironment: number;
  readonly stacks: number;
  readonly resources: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

export function measureSynth(accountsPerEnvironment: number): SynthMeasurement {
  const script = fileURLToPath(new URL("./synth-one.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--import", "tsx", script, String(accountsPerEnvironment)], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.trim().split("\n").pop()!) as SynthMeasurement;
}

export function synthBenchmark(sizes: readonly number[] = [10, 100, 300], repetitions = 3): SynthMeasurement[] {
  return sizes.map((size) => {
    const runs = Array.from({ length: repetitions }, () => measureSynth(size)).sort((a, b) => a.seconds - b.seconds);
    return runs[Math.floor(runs.length / 2)]!; // the median run
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of synthBenchmark()) console.log(`${m.accountsPerEnvironment}/env: ${m.stacks} stacks, ${m.resources} resources, ${m.seconds.toFixed(1)} s, peak ${m.peakRssMb.toFixed(0)} MB`);
}
