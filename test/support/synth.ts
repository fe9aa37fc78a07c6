import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { exampleOrganization } from "../fixtures/organizations/example/index.js";
import { parseOrgConfig, type OrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { loadFunctionArtifacts } from "../../functions/artifacts.js";
import { buildApp, stackNames } from "../../stacks/app/app.js";
import { writeProviderLocks } from "../../stacks/app/provider-lock.js";
import type { DeploymentMode } from "../../stacks/providers.js";
import type { TerraformJson } from "./terraform-json.js";

export interface SynthesizedStack {
  readonly name: string;
  /** The stack's output folder (`stacks/<name>` under the outdir): where terraform runs. */
  readonly dir: string;
  readonly json: TerraformJson;
}

export interface SynthOptions {
  readonly input?: OrgConfigInput;
  readonly mode?: DeploymentMode;
  readonly outdir?: string;
}

/** Reads every synthesized stack of an outdir. */
export function readStacks(outdir: string): Map<string, SynthesizedStack> {
  const stacks = new Map<string, SynthesizedStack>();
  for (const name of readdirSync(join(outdir, "stacks")).sort()) {
    const dir = join(outdir, "stacks", name);
    stacks.set(name, { name, dir, json: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as TerraformJson });
  }
  return stacks;
}

/** Synthesizes the whole app (the example organization unless told otherwise) into a fresh folder. */
export function synthOrg(options: SynthOptions = {}): { outdir: string; config: OrgConfig; stacks: Map<string, SynthesizedStack> } {
  const config = parseOrgConfig(options.input ?? exampleOrganization);
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), "patchline-synth-"));
  buildApp({ config, mode: options.mode ?? { offline: true }, artifacts: loadFunctionArtifacts(), outdir }).synth();
  // as `cdktf synth` does (stacks/app/synth.ts): every init the tests run verifies the committed checksums
  writeProviderLocks(outdir, stackNames(config));
  return { outdir, config, stacks: readStacks(outdir) };
}

/** Every file below `root` (relative path → bytes), in a stable order: what two synths are compared by. */
export function outputFiles(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return out;
}

/** The files that two output folders do not share byte for byte (present in one only, or different), sorted; empty when they are the same. */
export function differingFiles(a: string, b: string): string[] {
  const [left, right] = [outputFiles(a), outputFiles(b)];
  return [...new Set([...left.keys(), ...right.keys()])]
    .filter((file) => !left.get(file)?.equals(right.get(file) ?? Buffer.alloc(0)) || !right.has(file))
    .sort();
}
