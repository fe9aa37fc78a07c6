import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { synthesize } from "../stacks/app/synth.js";
import { compareSynths } from "../tools/plan-stacks/changed.js";
import { generatedOrganization } from "../test/fixtures/organizations/generated.js";
import { LARGEST_VALID_ACCOUNTS_PER_ENVIRONMENT } from "./synth.js";

export interface ChangeDetectionMeasurement {
  readonly accountsPerEnvironment: number;
  readonly stacks: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Median seconds of `compareSynths` over the two synth outputs. */
  readonly seconds: number;
}

/**
 * What the pull-request workflow spends finding the stacks to plan: `plan-stacks --base` compares
 * every file of every stack of two synths. Head differs from base in prod's rejected patches, so
 * every prod stack is planned and the rest are read in full and found identical.
 */
export async function changeDetectionBenchmark(
  accountsPerEnvironment = LARGEST_VALID_ACCOUNTS_PER_ENVIRONMENT,
  repetitions = 3,
): Promise<ChangeDetectionMeasurement> {
  const root = mkdtempSync(join(tmpdir(), "patchline-bench-changes-"));
  try {
    const artifacts = loadFunctionArtifacts();
    const base = generatedOrganization({ accounts: [accountsPerEnvironment, accountsPerEnvironment, accountsPerEnvironment] });
    const head = {
      ...base,
      environments: { ...base.environments, prod: { ...base.environments.prod!, rejectedPatches: { WINDOWS: ["KB5034439", "KB5040442"] } } },
    };
    await synthesize({ input: base, mode: { offline: false }, artifacts, outdir: join(root, "base"), workers: 2 });
    await synthesize({ input: head, mode: { offline: false }, artifacts, outdir: join(root, "head"), workers: 2 });
    const times: number[] = [];
    let result = compareSynths(join(root, "base"), join(root, "head"));
    for (let i = 0; i < repetitions; i++) {
      const started = performance.now();
      result = compareSynths(join(root, "base"), join(root, "head"));
      times.push((performance.now() - started) / 1000);
    }
    times.sort((a, b) => a - b);
    return {
      accountsPerEnvironment,
      stacks: result.changed.length + result.unchanged.length + result.added.length,
      changed: result.changed.length,
      unchanged: result.unchanged.length,
      seconds: times[Math.floor(times.length / 2)]!,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
