import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseOrgConfig } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { buildApp } from "../stacks/app.js";
import { generateOrg } from "./generate-org.js";

/** One measurement in a fresh process: validate + build + synth an organization of N accounts per environment. */
process.setSourceMapsEnabled(false);
const accounts = Number(process.argv[2]);
const outdir = mkdtempSync(join(tmpdir(), "patchline-bench-"));
const artifacts = loadFunctionArtifacts();
const started = performance.now();
const config = parseOrgConfig(generateOrg(accounts));
buildApp({ config, mode: { offline: false }, artifacts, outdir }).synth();
const seconds = (performance.now() - started) / 1000;
const stacks = readdirSync(join(outdir, "stacks"));
let resources = 0;
for (const stack of stacks) {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  for (const byName of Object.values(json.resource ?? {})) resources += Object.keys(byName).length;
}
rmSync(outdir, { recursive: true, force: true });
// maxRSS is in kilobytes
console.log(JSON.stringify({ accountsPerEnvironment: accounts, stacks: stacks.length, resources, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
