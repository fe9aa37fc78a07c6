import { availableParallelism } from "node:os";
import { ConfigError, type OrgConfigInput } from "../../environments/schema/index.js";
import { loadFunctionArtifacts } from "../../functions/artifacts.js";
import { synthesize } from "./synth.js";

export interface SynthCommandProps {
  readonly input: OrgConfigInput;
  /** The environment variables main.ts was started with (see main.ts for their meaning). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where configuration problems are written. @default console.error */
  readonly reportProblems?: (message: string) => void;
}

/**
 * What `cdktf synth` runs: validate the organization and render every stack. Returns the process
 * exit code: 0, or 1 with every configuration problem reported and nothing written.
 */
export async function synthCommand(props: SynthCommandProps): Promise<number> {
  const workersSetting = props.env.PATCHLINE_SYNTH_WORKERS;
  const workers = workersSetting === undefined ? Math.min(availableParallelism(), 4) : Number(workersSetting);
  if (!Number.isInteger(workers) || workers < 1) {
    (props.reportProblems ?? console.error)(`PATCHLINE_SYNTH_WORKERS: ${JSON.stringify(workersSetting)} is not a whole number from 1`);
    return 1;
  }
  const role = props.env.PATCHLINE_ROLE ?? "deploy";
  if (role !== "deploy" && role !== "plan") {
    (props.reportProblems ?? console.error)(
      `PATCHLINE_ROLE: ${JSON.stringify(role)} is not a role; allowed: "deploy" (default), "plan" (read-only, for pull-request plans)`,
    );
    return 1;
  }
  try {
    await synthesize({
      input: props.input,
      mode: { offline: props.env.PATCHLINE_OFFLINE === "1", role },
      artifacts: loadFunctionArtifacts(),
      outdir: props.env.CDKTF_OUTDIR ?? "cdktf.out",
      workers,
      // stacks whose inputs did not change keep their files; PATCHLINE_SYNTH_FRESH=1 renders every stack
      incremental: props.env.PATCHLINE_SYNTH_FRESH !== "1",
    });
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    (props.reportProblems ?? console.error)(error.message);
    return 1;
  }
}
