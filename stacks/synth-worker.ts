import { readFileSync } from "node:fs";
import { parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { buildApp } from "./app.js";

/** A child of `synthesize()`: builds the app with only its share of the stacks and synthesizes them. */
interface SynthJob {
  readonly inputFile: string;
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly offline: boolean;
}

process.setSourceMapsEnabled(false);
const job = JSON.parse(process.env.PATCHLINE_SYNTH_JOB ?? "null") as SynthJob | null;
if (!job) throw new Error("synth-worker runs as a child of synthesize(): PATCHLINE_SYNTH_JOB is not set");
const input = JSON.parse(readFileSync(job.inputFile, "utf8")) as OrgConfigInput;
buildApp({ config: parseOrgConfig(input), mode: { offline: job.offline }, artifacts: loadFunctionArtifacts(), outdir: job.outdir, only: new Set(job.stacks) }).synth();
