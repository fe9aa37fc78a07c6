import * as z from "zod/mini";
import { emergencyRunSchema, emergencyTargetSchema, emergencyWaveSchema, percent } from "../../../contracts/emergency-patch.js";
import { NAMED_INSTANCES, targetResultSchema, waveSummarySchema, type TargetResult, type WaveSummary } from "../../../contracts/emergency-results.js";
import type { MapRunExecution } from "../../../contracts/compliance-run.js";
import { parseInput } from "../../shared/input.js";
import { mapRunExecutions, resultWriterDetails } from "../../shared/map-run.js";
import { errorText } from "../shared/error-text.js";
import type { RunDeps } from "./start.js";

export const summarizeInput = z.object({
  action: z.literal("summarizeWave"),
  run: emergencyRunSchema,
  wave: emergencyWaveSchema,
  /** The summaries of the waves before. */
  results: z.array(waveSummarySchema),
  /** Where the wave's Distributed Map wrote its children's results. */
  written: resultWriterDetails,
});
export type SummarizeInput = z.output<typeof summarizeInput>;

/** What the state machine decides on: the wave's summary, every wave's so far, and whether the run stops or is done. */
export interface WaveOutcome {
  readonly wave: WaveSummary;
  readonly results: readonly WaveSummary[];
  readonly halt: boolean;
  readonly last: boolean;
}

const childInput = z.object({ target: emergencyTargetSchema });

/** A child's result: what it ended with, or (it failed outright, which its catches should never let happen) its target as not patched. */
function resultOf(execution: MapRunExecution): TargetResult {
  if (execution.Status === "SUCCEEDED") return parseInput(targetResultSchema, JSON.parse(execution.Output ?? "null"));
  const { target } = parseInput(childInput, JSON.parse(execution.Input));
  return { status: "child-failed", target, error: execution.Error ?? `child execution ${execution.Status.toLowerCase()}` };
}

/**
 * Sums a wave's targets: invocations targeted, succeeded and failed over every account-region, and
 * the failure rate (failed / targeted invocations). The run halts after the wave when the rate is
 * above the plan's maximum, or when an account-region did not complete (unreachable, refused,
 * not followed, still running at the deadline), or when a wave before the last targeted no
 * instance: a wave that was not seen through, or patched nothing, is no evidence for the next.
 */
export async function summarizeWave(input: SummarizeInput, deps: Pick<RunDeps, "read" | "log">): Promise<WaveOutcome> {
  const { run, wave } = input;
  let targets = 0;
  let completed = 0;
  const invocations = { targeted: 0, succeeded: 0, failed: 0 };
  const unfinished: WaveSummary["unfinished"] = [];
  let unfinishedCount = 0;
  const failedInstances: WaveSummary["failedInstances"] = [];
  for await (const execution of mapRunExecutions(deps.read, input.written)) {
    const result = resultOf(execution);
    targets++;
    if (result.invocations) {
      invocations.targeted += result.invocations.targeted;
      invocations.succeeded += result.invocations.succeeded;
      invocations.failed += result.invocations.failed;
    }
    for (const instance of result.failedInstances ?? []) {
      if (failedInstances.length < NAMED_INSTANCES) failedInstances.push({ ...instance, accountId: result.target.accountId, region: result.target.region });
    }
    if (result.status === "completed") {
      completed++;
      continue;
    }
    unfinishedCount++;
    const error = errorText(result.error, result.cause);
    if (unfinished.length < NAMED_INSTANCES) unfinished.push({ ...result.target, status: result.status, ...(error !== undefined && { error }) });
  }

  const failureRatePercent = invocations.targeted === 0 ? 0 : (invocations.failed * 100) / invocations.targeted;
  const reasons: string[] = [];
  if (failureRatePercent > run.maxFailureRatePercent)
    reasons.push(`${percent(failureRatePercent)} failed > ${percent(run.maxFailureRatePercent)} (${invocations.failed} of ${invocations.targeted} instances)`);
  if (unfinishedCount > 0) {
    const first = unfinished[0]!;
    reasons.push(
      `${unfinishedCount} of ${targets} account-regions not seen through (${first.accountName} ${first.region}: ${first.status}${unfinishedCount > 1 ? ", …" : ""})`,
    );
  }
  // a rate of 0 over no instances proves nothing: the waves after would run on no evidence (the last wave has none after it;
  // a wave not seen through halts already, with its own reason)
  const last = wave.number === run.waves.length;
  if (invocations.targeted === 0 && unfinishedCount === 0 && !last)
    reasons.push(
      `no instance was targeted in its ${targets} account-regions, so it is no evidence for wave ${wave.number + 1} (check the patch groups' tags and patch-policy)`,
    );
  // the wave file and its results name the same targets; fewer results mean children that never reported
  if (targets < wave.targets) reasons.push(`only ${targets} of the wave's ${wave.targets} account-regions reported`);
  const summary: WaveSummary = {
    number: wave.number,
    targets,
    completed,
    unfinished,
    unfinishedCount,
    invocations,
    failureRatePercent,
    failedInstances,
    ...(reasons.length > 0 && { haltReason: `halted after wave ${wave.number}: ${reasons.join("; ")}` }),
  };
  deps.log.info("emergency wave summed", {
    runId: run.runId,
    wave: wave.number,
    targets,
    completed,
    ...invocations,
    failureRatePercent,
    halt: reasons.length > 0,
  });
  return { wave: summary, results: [...input.results, summary], halt: reasons.length > 0, last };
}
