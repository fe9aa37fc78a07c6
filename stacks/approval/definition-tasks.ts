import type { OutcomeStatus } from "../../contracts/approval.js";
import type { Catcher, State, TaskState } from "../core/asl.js";
import { retryTransient } from "../core/retry.js";

/** The building blocks every part of the approval workflow's definition uses. */

/** Seconds a Lambda task may take (the functions time out after 30 s). */
export const LAMBDA_TASK_SECONDS = 60;

export const lambdaRetry = [retryTransient("lambda")];
export const failTo = (next: string, errors: readonly string[] = ["States.ALL"]): Catcher => ({ ErrorEquals: [...errors], ResultPath: "$.error", Next: next });

/** A plain invocation whose result is the function's payload. */
export function invoke(functionArn: string, parameters: Record<string, unknown>, resultPath: string, next: string, catches: readonly Catcher[]): TaskState {
  return {
    Type: "Task",
    Resource: functionArn,
    Parameters: parameters,
    ResultPath: resultPath,
    TimeoutSeconds: LAMBDA_TASK_SECONDS,
    Retry: lambdaRetry,
    Catch: catches,
    Next: next,
  };
}

/** Where the member-account calls go: account and region come from the validated event. */
export const target = { "account.$": "$.request.account", "region.$": "$.request.region", "instanceId.$": "$.request.instanceId" };

/** A state that records how the workflow ended (`$.outcome`) and hands over to RecordOutcome. */
export function outcome(status: OutcomeStatus, step?: string): State {
  return { Type: "Pass", Result: step ? { status, step } : { status }, ResultPath: "$.outcome", Next: "RecordOutcome" };
}
