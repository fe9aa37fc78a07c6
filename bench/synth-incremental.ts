import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { synthesize } from "../stacks/app/synth.js";
import { generatedOrganization } from "../test/fixtures/organizations/generated.js";

export interface IncrementalRow {
  readonly accounts: number;
  readonly stacks: number;
  readonly fullSeconds: number;
  readonly oneAccountSeconds: number;
  readonly rendered: number;
  readonly unchangedSeconds: number;
}

/**
 * Full synth of a generated organization (accounts over dev, preprod and prod, two regions each),
 * then an incremental synth after one more prod account, then one with nothing changed; in this
 * process, with 2 workers, the function build excluded (it is cached as well).
 */
export async function incrementalSynthBenchmark(sizes: readonly number[]): Promise<IncrementalRow[]> {
  const artifacts = loadFunctionArtifacts();
  const rows: IncrementalRow[] = [];
  for (const accounts of sizes) {
    const outdir = mkdtempSync(join(tmpdir(), "patchline-incremental-bench-"));
    try {
      const input = generatedOrganization({ accounts });
      const timed = async (run: () => Promise<{ stacks: string[]; rendered: string[] }>) => {
        const started = performance.now();
        const result = await run();
        return { ...result, seconds: (performance.now() - started) / 1000 };
      };
      const full = await timed(() => synthesize({ input, mode: { offline: false }, artifacts, outdir, workers: 2 }));
      const grown = structuredClone(input);
      grown.environments.prod!.accounts.push({ name: "prod-vended", id: "499999999999" });
      const one = await timed(() => synthesize({ input: grown, mode: { offline: false }, artifacts, outdir, workers: 2, incremental: true }));
      const none = await timed(() => synthesize({ input: grown, mode: { offline: false }, artifacts, outdir, workers: 2, incremental: true }));
      rows.push({
        accounts,
        stacks: full.stacks.length,
        fullSeconds: full.seconds,
        oneAccountSeconds: one.seconds,
        rendered: one.rendered.length,
        unchangedSeconds: none.seconds,
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  return rows;
}
