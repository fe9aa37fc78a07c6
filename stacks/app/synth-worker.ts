import { readFileSync } from "node:fs";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { loadFunctionArtifacts } from "../../functions/artifacts.js";
import { synthesizeInBatches } from "./app.js";
import type { DeploymentMode } from "../providers.js";

/** A child of `synthesize()`: builds the app with only its share of the stacks and synthesizes them. */
interface SynthJob {
  readonly inputFile: string;
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly mode: DeploymentMode;
  readonly stacksPerApp?: number;
}

process.setSourceMapsEnabled(false);
const job = JSON.parse(process.env.PATCHLINE_SYNTH_JOB ?? "null") as SynthJob | null;
if (!job) throw new Error("synth-worker runs as a child of synthesize(): PATCHLINE_SYNTH_JOB is not set");
const input = JSON.parse(readFileSync(job.inputFile, "utf8")) as OrgConfigInput;
synthesizeInBatches({ config: parseOrgConfig(input), mode: job.mode, artifacts: loadFunctionArtifacts(), outdir: job.outdir }, job.stacks, job.stacksPerApp);
