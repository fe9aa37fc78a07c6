import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { synthesize } from "../stacks/app/synth.js";
import { generatedOrganization } from "../test/fixtures/organizations/generated.js";

/**
 * One measurement in a fresh process, as main.ts synthesizes: validate, build and synth an
 * organization of N accounts per environment with W workers. Peak memory is this process's;
 * workers report their own (ru_maxrss of children: the largest one).
 */
process.setSourceMapsEnabled(false);
const accounts = Number(process.argv[2]);
const workers = Number(process.argv[3] ?? 1);
const outdir = mkdtempSync(join(tmpdir(), "patchline-bench-"));
const artifacts = loadFunctionArtifacts();
const started = performance.now();
await synthesize({ input: generatedOrganization({ accounts: [accounts, accounts, accounts] }), mode: { offline: false }, artifacts, outdir, workers });
const seconds = (performance.now() - started) / 1000;
const stacks = readdirSync(join(outdir, "stacks"));
let resources = 0;
for (const stack of stacks) {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  for (const byName of Object.values(json.resource ?? {})) resources += Object.keys(byName).length;
}
rmSync(outdir, { recursive: true, force: true });
const usage = process.resourceUsage();
// maxRSS is in kilobytes; children's is the largest child's (getrusage RUSAGE_CHILDREN)
console.log(
  JSON.stringify({
    accountsPerEnvironment: accounts,
    workers,
    stacks: stacks.length,
    resources,
    seconds,
    peakRssMb: usage.maxRSS / 1024,
  }),
);
