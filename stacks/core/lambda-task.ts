import type { Catcher, TaskState } from "./asl.js";
import { retryTransient } from "./retry.js";

/** Seconds a Lambda task may take (patchline's functions time out after 30 s). */
export const LAMBDA_TASK_SECONDS = 60;

export const lambdaRetry = [retryTransient("lambda")];

/** Catches the errors named (all, by default) and goes on at `next`, with the error at `$.error`. */
export const failTo = (next: string, errors: readonly string[] = ["States.ALL"]): Catcher => ({ ErrorEquals: [...errors], ResultPath: "$.error", Next: next });

/** A plain invocation whose result is the function's payload, bounded in time and retried when AWS is transiently unavailable. */
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
