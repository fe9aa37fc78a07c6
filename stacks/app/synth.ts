import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import stringify from "json-stable-stringify";
import pLimit from "p-limit";
import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { stackNames, synthesizeInBatches } from "./app.js";
import { checkLimits } from "../limits/index.js";
import type { DeploymentMode } from "../providers.js";
import { codeFingerprint, readSynthCache, SYNTH_CACHE, stackInputKeys } from "./synth-cache.js";
import { writeProviderLocks } from "./provider-lock.js";

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
  /**
   * Stacks one worker process renders before it exits and a fresh one takes the next share: cdktf
   * keeps every token it ever created in a process-wide map (and with it the constructs the tokens
   * refer to), so a process's memory grows with the stacks it rendered. @default STACKS_PER_WORKER
   */
  readonly stacksPerWorker?: number;
  /** The rendering code's fingerprint. @default - codeFingerprint() of this checkout */
  readonly code?: string;
}

export interface SynthResult {
  /** Every stack of the organization. */
  readonly stacks: string[];
  /** The stacks rendered by this synth (all of them unless incremental). */
  readonly rendered: string[];
  /** Worker processes that rendered them; 0 when this process did. */
  readonly workerProcesses: number;
}

interface Manifest {
  version?: string;
  stacks: Record<string, unknown>;
}

/** Stacks a worker process renders before a fresh process takes over (about 0.4 GB of memory at most). */
export const STACKS_PER_WORKER = 1000;

/**
 * The JavaScript heap a worker process may grow to (MB). Without a limit V8 sizes its heap to the
 * machine (4 GB here) and, depending on how the stacks allocate, sometimes lets a worker grow to
 * 1.5 GB before it collects: at 10,000 accounts in 3 regions that took synth's peak memory from
 * 1.3 to 2.2 GB and its time from 170 to 192-216 s (bench/results/synth-incremental.md). The
 * largest share, 1,000 stacks in 6 regions each, peaks at 0.86 GB under this limit.
 */
export const WORKER_HEAP_MB = 1536;

/**
 * Renders `stacks` into `dir` (cdktf's layout: `stacks/<name>/`, `manifest.json`): in this process
 * when one worker is asked for and the stacks fit one worker's share, else in worker processes of
 * at most `stacksPerWorker` stacks each, `workers` at a time.
 */
async function render(
  props: SynthProps,
  input: OrgConfigInput,
  stacks: readonly string[],
  dir: string,
  workers: number,
): Promise<{ folders: string[]; workerProcesses: number }> {
  const perWorker = props.stacksPerWorker ?? STACKS_PER_WORKER;
  if (workers === 1 && stacks.length <= perWorker) {
    const folders = synthesizeInBatches(
      { config: parseOrgConfig(input), mode: props.mode, artifacts: props.artifacts, outdir: dir },
      stacks,
      props.stacksPerApp,
    );
    return { folders, workerProcesses: 0 };
  }
  const inputFile = join(dir, "input.json");
  mkdirSync(dir, { recursive: true });
  writeFileSync(inputFile, JSON.stringify(input));
  // at least one share per worker, none larger than a worker may render
  const shareCount = Math.max(workers, Math.ceil(stacks.length / perWorker));
  const shares = Array.from({ length: shareCount }, (_, w) => stacks.filter((_, i) => i % shareCount === w));
  const worker = fileURLToPath(new URL("./synth-worker.ts", import.meta.url));
  const outdirs = shares.map((_, w) => join(dir, `worker-${w}`));
  const renderShare = (w: number) =>
    promisify(execFile)(process.execPath, [`--max-old-space-size=${WORKER_HEAP_MB}`, "--import", "tsx", worker], {
      env: {
        ...process.env,
        PATCHLINE_SYNTH_JOB: JSON.stringify({ inputFile, outdir: outdirs[w], stacks: shares[w], mode: props.mode, stacksPerApp: props.stacksPerApp }),
      },
      maxBuffer: 64 * 1024 * 1024,
    });
  // `workers` processes at a time; after a failure no share starts, and the synth fails once the running ones ended
  const limit = pLimit({ concurrency: workers, rejectOnClear: true });
  const runs = await Promise.allSettled(
    shares.map((_, w) =>
      limit(() => renderShare(w)).catch((error: unknown) => {
        limit.clearQueue();
        throw error;
      }),
    ),
  );
  // shares start in order, so the first rejected is a share that failed, not one cleared after it
  const failure = runs.find((run) => run.status === "rejected");
  if (failure) throw failure.reason;
  // each worker wrote its share in batches (synthesizeInBatches)
  const folders = outdirs.flatMap((outdir) => (existsSync(outdir) ? readdirSync(outdir).map((batch) => join(outdir, batch)) : []));
  return { folders, workerProcesses: shares.length };
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
    const { folders: parts, workerProcesses } =
      rendered.length > 0 ? await render(props, props.input, rendered, scratch, workers) : { folders: [], workerProcesses: 0 };
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
    // kept stacks have it already: a changed lock file changes the code fingerprint, so every stack renders
    writeProviderLocks(props.outdir, rendered);
    // cdktf writes its manifest with json-stable-stringify; so does the merge
    writeFileSync(join(props.outdir, "manifest.json"), stringify(manifest, { space: 2 }) ?? "");
    writeFileSync(join(props.outdir, SYNTH_CACHE), `${stringify({ stacks: Object.fromEntries(keys) }, { space: 2 })}\n`);
    return { stacks: names, rendered, workerProcesses };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
