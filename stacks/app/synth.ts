import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import stringify from "json-stable-stringify";
import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { stackNames, synthesizeInBatches } from "./app.js";
import { checkLimits } from "../limits/index.js";
import type { DeploymentMode } from "../providers.js";
import { codeFingerprint, readSynthCache, SYNTH_CACHE, stackInputKeys } from "./synth-cache.js";

export interface SynthProps {
  readonly input: OrgConfigInput;
  readonly mode: DeploymentMode;
  readonly artifacts: FunctionArtifacts;
  readonly outdir: string;
  /** Processes that synthesize stacks side by side. @default 1 */
  readonly workers?: number;
  /**
   * Fewer stacks than this per worker and the workers are reduced: a worker's start-up (loading
   * cdktf and the provider bindings, about a second) costs more than a few stacks take.
   * @default 50
   */
  readonly minStacksPerWorker?: number;
  /**
   * Keep the stacks of the last synth in `outdir` whose inputs did not change (stacks/app/synth-cache.ts)
   * and render only the others; the output is byte-identical to a fresh synth. @default false
   */
  readonly incremental?: boolean;
  /** Stacks per cdktf App in a process. @default STACKS_PER_APP */
  readonly stacksPerApp?: number;
  /** The rendering code's fingerprint. @default - codeFingerprint() of this checkout */
  readonly code?: string;
}

export interface SynthResult {
  /** Every stack of the organization. */
  readonly stacks: string[];
  /** The stacks rendered by this synth (all of them unless incremental). */
  readonly rendered: string[];
}

interface Manifest {
  version?: string;
  stacks: Record<string, unknown>;
}

/** Renders `stacks` into `dir` (cdktf's layout: `stacks/<name>/`, `manifest.json`), in `workers` processes side by side. */
async function render(props: SynthProps, input: OrgConfigInput, stacks: readonly string[], dir: string, workers: number): Promise<string[]> {
  if (workers === 1)
    return synthesizeInBatches({ config: parseOrgConfig(input), mode: props.mode, artifacts: props.artifacts, outdir: dir }, stacks, props.stacksPerApp);
  const inputFile = join(dir, "input.json");
  mkdirSync(dir, { recursive: true });
  writeFileSync(inputFile, JSON.stringify(input));
  const shares = Array.from({ length: workers }, (_, w) => stacks.filter((_, i) => i % workers === w));
  const worker = fileURLToPath(new URL("./synth-worker.ts", import.meta.url));
  const outdirs = shares.map((_, w) => join(dir, `worker-${w}`));
  await Promise.all(
    shares.map((share, w) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", worker], {
        env: {
          ...process.env,
          PATCHLINE_SYNTH_JOB: JSON.stringify({ inputFile, outdir: outdirs[w], stacks: share, mode: props.mode, stacksPerApp: props.stacksPerApp }),
        },
        maxBuffer: 64 * 1024 * 1024,
      }),
    ),
  );
  // each worker wrote its share in batches (synthesizeInBatches)
  return outdirs.flatMap((outdir) => (existsSync(outdir) ? readdirSync(outdir).map((batch) => join(outdir, batch)) : []));
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;

/**
 * Synthesizes the app into `outdir`. The config is validated first, AWS size limits included
 * (stacks/limits/), so a bad config writes nothing.
 * The stacks are rendered into a scratch folder (with several workers, each child process builds
 * the app with only its share of the stacks), then moved into `outdir` and the manifests merged.
 * Stacks do not reference each other, so the output is byte-identical to one process's. With
 * `incremental`, stacks whose inputs did not change since the last synth keep their files.
 */
export async function synthesize(props: SynthProps): Promise<SynthResult> {
  const config = parseOrgConfig(props.input);
  // an organization past an AWS size limit is a configuration problem too: said here, not by a construct or a worker
  const problems = checkLimits(config);
  if (props.mode.role === "plan" && !props.mode.offline && config.org.planRoleName === undefined) {
    problems.push(
      "org.planRoleName: is required to synthesize for plans (PATCHLINE_ROLE=plan): name the read-only role every account has for pull-request plans",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const names = stackNames(config);
  const keys = stackInputKeys(config, props.mode, props.artifacts, props.code ?? codeFingerprint());
  const previous = props.incremental ? readSynthCache(props.outdir) : undefined;
  const unchanged = (name: string) =>
    previous?.stacks[name] === keys.get(name) &&
    existsSync(join(props.outdir, "stacks", name, "cdk.tf.json")) &&
    existsSync(join(props.outdir, "manifest.json"));
  const rendered = names.filter((name) => !unchanged(name));
  const kept = new Set(names.filter(unchanged));
  const workers = Math.max(1, Math.min(props.workers ?? 1, Math.floor(rendered.length / (props.minStacksPerWorker ?? 50))));

  const scratch = mkdtempSync(join(tmpdir(), "patchline-synth-"));
  try {
    const parts = rendered.length > 0 ? await render(props, props.input, rendered, scratch, workers) : [];
    const keptManifest = kept.size > 0 ? readManifest(props.outdir) : { stacks: {} };
    // from here on the outdir changes: without a cache a synth interrupted now renders everything next time
    rmSync(join(props.outdir, SYNTH_CACHE), { force: true });
    const stacksDir = join(props.outdir, "stacks");
    mkdirSync(stacksDir, { recursive: true });
    // replace what a previous synth left, as a fresh synth would: only the kept stacks stay
    for (const stack of readdirSync(stacksDir)) if (!kept.has(stack)) rmSync(join(stacksDir, stack), { recursive: true, force: true });
    const manifest: Manifest = { stacks: Object.fromEntries([...kept].map((name) => [name, keptManifest.stacks[name]])) };
    manifest.version = keptManifest.version;
    for (const dir of parts) {
      for (const stack of readdirSync(join(dir, "stacks"))) renameSync(join(dir, "stacks", stack), join(stacksDir, stack));
      const part = readManifest(dir);
      manifest.version = part.version;
      Object.assign(manifest.stacks, part.stacks);
    }
    // cdktf writes its manifest with json-stable-stringify; so does the merge
    writeFileSync(join(props.outdir, "manifest.json"), stringify(manifest, { space: 2 }) ?? "");
    writeFileSync(join(props.outdir, SYNTH_CACHE), `${stringify({ stacks: Object.fromEntries(keys) }, { space: 2 })}\n`);
    return { stacks: names, rendered };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
