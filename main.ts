import { availableParallelism } from "node:os";
import { exampleOrgInput } from "./environments/index.js";
import { ConfigError } from "./environments/schema/index.js";
import { loadFunctionArtifacts } from "./functions/artifacts.js";
import { synthesize } from "./stacks/synth.js";

/**
 * Renders the Terraform of the organization in `environments/` into CDKTF_OUTDIR (cdktf.out).
 *
 * PATCHLINE_OFFLINE=1         providers without assume-role, with dummy credentials and the skip
 *                             flags, and local state: `terraform plan` runs without AWS access.
 *                             Never deploy an offline synth.
 * PATCHLINE_SYNTH_WORKERS=n   processes that synthesize stacks side by side (default: one per
 *                             core, at most 4; small organizations always use one).
 */
async function main(): Promise<void> {
  // cdktf captures a stack trace for every token it creates; mapping those through tsx's source
  // maps costs about a third of a large synth, and nothing here reads them
  process.setSourceMapsEnabled(false);
  const workers = Number(process.env.PATCHLINE_SYNTH_WORKERS ?? Math.min(availableParallelism(), 4));
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`PATCHLINE_SYNTH_WORKERS must be a whole number from 1, got ${JSON.stringify(process.env.PATCHLINE_SYNTH_WORKERS)}`);
  try {
    await synthesize({
      input: exampleOrgInput,
      mode: { offline: process.env.PATCHLINE_OFFLINE === "1" },
      artifacts: loadFunctionArtifacts(),
      outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out",
      workers,
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

await main();
