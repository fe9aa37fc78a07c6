import type { Catcher, Retrier, TaskState } from "./asl.js";
import { retryTransient } from "./retry.js";

/** Seconds a Lambda task may take by default (the functions it is used for time out after 30 s; longer steps set their own). */
export const LAMBDA_TASK_SECONDS = 60;

export const lambdaRetry = [retryTransient("lambda")];

/** Catches the errors named (all, by default) and goes on at `next`, with the error at `$.error`. */
export const failTo = (next: string, errors: readonly string[] = ["States.ALL"]): Catcher => ({ ErrorEquals: [...errors], ResultPath: "$.error", Next: next });

export interface InvokeOptions {
  /** Where the function's payload goes in the state. @default - replaces the state's input */
  readonly resultPath?: string;
  /** Picks fields of the payload (`$` is the payload) before it goes to `resultPath`. @default - the whole payload */
  readonly resultSelector?: Record<string, unknown>;
  /** @default LAMBDA_TASK_SECONDS */
  readonly timeoutSeconds?: number;
  /** @default lambdaRetry: retried only while AWS is transiently unavailable */
  readonly retry?: readonly Retrier[];
  /** @default - none: an error fails the execution (or the Map iteration) */
  readonly catches?: readonly Catcher[];
  /** The state after. @default - the state ends its branch */
  readonly next?: string;
}

/**
 * The one way a state machine calls a patchline function and uses its answer: request-response,
 * the function's payload as the result (no `Payload` wrapper to unwrap), bounded in time and retried
 * when AWS is transiently unavailable. (Waiting for a human uses `lambda:invoke.waitForTaskToken`.)
 */
export function invoke(functionArn: string, parameters: Record<string, unknown>, options: InvokeOptions = {}): TaskState {
  return {
    Type: "Task",
    Resource: functionArn,
    Parameters: parameters,
    ...(options.resultSelector && { ResultSelector: options.resultSelector }),
    ...(options.resultPath && { ResultPath: options.resultPath }),
    TimeoutSeconds: options.timeoutSeconds ?? LAMBDA_TASK_SECONDS,
    Retry: options.retry ?? lambdaRetry,
    ...(options.catches && { Catch: options.catches }),
    ...(options.next ? { Next: options.next } : { End: true }),
  };
}
