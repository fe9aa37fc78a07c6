import type { State } from "./asl.js";
import { failTo, invoke } from "./lambda-task.js";

export interface PolledStep {
  /** The function that starts and checks the step. */
  readonly fn: string;
  /** Names of the four states: start, wait, check, decide. */
  readonly states: { readonly start: string; readonly wait: string; readonly check: string; readonly decide: string };
  readonly startParameters: Record<string, unknown>;
  readonly checkParameters: Record<string, unknown>;
  /** Where the step's status lives; the function also says there when to check next (`nextCheckSeconds`). */
  readonly resultPath: string;
  readonly statuses: { readonly done: string; readonly pending: string };
  readonly onDone: string;
  readonly onFailure: string;
}

/**
 * A step that takes longer than a task may run: start it, then wait and check, with the backoff
 * the function chooses (`nextCheckSeconds`), until it is done (onward), still pending (wait again)
 * or anything else, an error included (onFailure). The function enforces the step's own deadline.
 */
export function polledStep(step: PolledStep): Record<string, State> {
  const { states, resultPath } = step;
  return {
    [states.start]: invoke(step.fn, step.startParameters, { resultPath, next: states.wait, catches: [failTo(step.onFailure)] }),
    [states.wait]: { Type: "Wait", SecondsPath: `${resultPath}.nextCheckSeconds`, Next: states.check },
    [states.check]: invoke(step.fn, step.checkParameters, { resultPath, next: states.decide, catches: [failTo(step.onFailure)] }),
    [states.decide]: {
      Type: "Choice",
      Choices: [
        { Variable: `${resultPath}.status`, StringEquals: step.statuses.done, Next: step.onDone },
        { Variable: `${resultPath}.status`, StringEquals: step.statuses.pending, Next: states.wait },
      ],
      Default: step.onFailure,
    },
  };
}
