import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { synthesize } from "../stacks/app/synth.js";
import { generatedOrganization, type GeneratedOrganizationOptions } from "../test/fixtures/organizations/generated.js";
import { treeRssBytes } from "./process-tree.js";

export interface IncrementalRow {
  readonly shape: string;
  readonly accounts: number;
  readonly stacks: number;
  readonly fullSeconds: number;
  /** Summed RSS of this process and its synth workers during the full synth, sampled every 100 ms. */
  readonly fullPeakMb: number;
  readonly oneAccountSeconds: number;
  readonly rendered: number;
  readonly unchangedSeconds: number;
}

/** An organization to measure: its accounts per environment, named for the table. */
export interface IncrementalShape {
  readonly shape: string;
  readonly organization: GeneratedOrganizationOptions;
}

/**
 * Full synth of a generated organization (two regions per account),
 * then an incremental synth after one more prod account, then one with nothing changed; in this
 * process, with 2 workers, the function build excluded (it is cached as well).
 */
export async function incrementalSynthBenchmark(shapes: readonly IncrementalShape[]): Promise<IncrementalRow[]> {
  const artifacts = loadFunctionArtifacts();
  const rows: IncrementalRow[] = [];
  for (const { shape, organization } of shapes) {
    const outdir = mkdtempSync(join(tmpdir(), "patchline-incremental-bench-"));
    try {
      const input = generatedOrganization(organization);
      const timed = async (run: () => Promise<{ stacks: string[]; rendered: string[] }>) => {
        const started = performance.now();
        const result = await run();
        return { ...result, seconds: (performance.now() - started) / 1000 };
      };
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, treeRssBytes(process.pid))), 100);
      const full = await timed(() => synthesize({ input, mode: { offline: false }, artifacts, outdir, workers: 2 })).finally(() => clearInterval(sampler));
      const grown = structuredClone(input);
      grown.environments.prod!.accounts.push({ name: "prod-vended", id: "499999999999" });
      const one = await timed(() => synthesize({ input: grown, mode: { offline: false }, artifacts, outdir, workers: 2, incremental: true }));
      const none = await timed(() => synthesize({ input: grown, mode: { offline: false }, artifacts, outdir, workers: 2, incremental: true }));
      rows.push({
        shape,
        accounts: full.stacks.length - 1,
        stacks: full.stacks.length,
        fullSeconds: full.seconds,
        fullPeakMb: peak / 1024 / 1024,
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
