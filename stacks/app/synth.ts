import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import stringify from "json-stable-stringify";
import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { buildApp, stackNames } from "./app.js";
import { checkLimits } from "../limits/index.js";
import type { DeploymentMode } from "../providers.js";

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
}

/**
 * Synthesizes the app into `outdir`. The config is validated first, AWS size limits included
 * (stacks/limits/), so a bad config writes nothing.
 * With several workers, each child process builds the app with only its share of the stacks and
 * synthesizes into its own folder; the stacks are then moved into `outdir` and the manifests
 * merged. Stacks do not reference each other, so the output is byte-identical to one process's.
 */
export async function synthesize(props: SynthProps): Promise<string[]> {
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
  const workers = Math.max(1, Math.min(props.workers ?? 1, Math.floor(names.length / (props.minStacksPerWorker ?? 50))));
  if (workers === 1) {
    buildApp({ config, mode: props.mode, artifacts: props.artifacts, outdir: props.outdir }).synth();
    return names;
  }

  const scratch = mkdtempSync(join(tmpdir(), "patchline-synth-"));
  try {
    const inputFile = join(scratch, "input.json");
    writeFileSync(inputFile, JSON.stringify(props.input));
    const shares = Array.from({ length: workers }, (_, w) => names.filter((_, i) => i % workers === w));
    const worker = fileURLToPath(new URL("./synth-worker.ts", import.meta.url));
    await Promise.all(
      shares.map((share, w) =>
        promisify(execFile)(process.execPath, ["--import", "tsx", worker], {
          env: { ...process.env, PATCHLINE_SYNTH_JOB: JSON.stringify({ inputFile, outdir: join(scratch, `worker-${w}`), stacks: share, mode: props.mode }) },
          maxBuffer: 64 * 1024 * 1024,
        }),
      ),
    );

    // replace what a previous synth left, as a fresh single-process synth would
    rmSync(join(props.outdir, "stacks"), { recursive: true, force: true });
    mkdirSync(join(props.outdir, "stacks"), { recursive: true });
    const manifest: { version?: string; stacks: Record<string, unknown> } = { stacks: {} };
    for (let w = 0; w < workers; w++) {
      const dir = join(scratch, `worker-${w}`);
      for (const stack of readdirSync(join(dir, "stacks"))) renameSync(join(dir, "stacks", stack), join(props.outdir, "stacks", stack));
      const part = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { version: string; stacks: Record<string, unknown> };
      manifest.version = part.version;
      Object.assign(manifest.stacks, part.stacks);
    }
    // cdktf writes its manifest with json-stable-stringify; so does the merge
    writeFileSync(join(props.outdir, "manifest.json"), stringify(manifest, { space: 2 }) ?? "");
    return names;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
