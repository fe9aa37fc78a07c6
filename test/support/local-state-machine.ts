import "./promise-with-resolvers.js";
import { StateMachine } from "aws-local-stepfunctions";
import type { State, StateMachineDefinition } from "../../stacks/core/asl.js";

/** Stands in for a Task state's resource: gets the state's effective input (after Parameters). */
export type TaskHandler = (input: unknown, call: number) => unknown;

export interface LocalExecutionOptions {
  /** One handler per Task state the run may reach; reaching a Task without one fails the run. */
  readonly tasks: Readonly<Record<string, TaskHandler>>;
  /** Context object fields (`$$.Task.Token`, `$$.Execution.Id`, ...). */
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface LocalExecution {
  readonly status: "SUCCEEDED" | "FAILED";
  readonly output?: unknown;
  /** Error name and cause of a failed run. */
  readonly error?: string;
  readonly cause?: unknown;
  /** State names in the order they were entered (Map iterations and Parallel branches included). */
  readonly path: readonly string[];
  /** The input of every call of each Task state, in order. */
  readonly calls: ReadonlyMap<string, readonly unknown[]>;
  /** State names, once per retry attempt. */
  readonly retried: readonly string[];
}

/** An error a Task handler throws, with the name Retry and Catch match (e.g. `Ssm.ThrottlingException`). */
export function taskError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function* allStates(definition: { readonly States: Readonly<Record<string, State>> }): Generator<[string, State]> {
  for (const [name, state] of Object.entries(definition.States)) {
    yield [name, state];
    if (state.Type === "Map") yield* allStates(state.ItemProcessor);
    if (state.Type === "Parallel") for (const branch of state.Branches) yield* allStates(branch);
  }
}

/**
 * Runs a definition with aws-local-stepfunctions: Task states call the given handlers instead of
 * AWS, Wait states and retry pauses take no time, and the run records where it went.
 */
export async function executeLocally(definition: StateMachineDefinition, input: unknown, options: LocalExecutionOptions): Promise<LocalExecution> {
  const calls = new Map<string, unknown[]>();
  const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<never>> = {};
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  // a Catch of States.ALL would swallow the error: remember it and fail the test after the run
  let missingHandler: string | undefined;
  for (const [name, state] of allStates(definition)) {
    if (state.Type === "Wait") waitTimeOverrides[name] = 0;
    if ("Retry" in state && state.Retry) retryIntervalOverrides[name] = 0;
    if (state.Type !== "Task") continue;
    taskResourceLocalHandlers[name] = async (taskInput: unknown) => {
      const handler = options.tasks[name];
      if (!handler) {
        missingHandler ??= name;
        throw taskError("LocalHandlerMissing", `no local handler for "${name}"`);
      }
      const seen = calls.get(name) ?? [];
      seen.push(structuredClone(taskInput));
      calls.set(name, seen);
      return (await handler(taskInput, seen.length)) as never;
    };
  }

  const machine = new StateMachine(structuredClone(definition) as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(structuredClone(input) as never, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    context: (options.context ?? {}) as never,
  });
  const path: string[] = [];
  const retried: string[] = [];
  let failure: { error: string; cause: unknown } | undefined;
  let output: unknown;
  for await (const event of execution.eventLogs) {
    if (event.type === "StateEntered") path.push(event.state.name);
    if (event.type === "StateRetried") retried.push(event.state.name);
    if (event.type === "ExecutionFailed") failure = { error: event.Error, cause: event.Cause };
    if (event.type === "ExecutionSucceeded") output = event.output;
  }
  try {
    await execution.result;
  } catch {
    // the ExecutionFailed event carries the error name and cause
  }
  if (missingHandler) throw new Error(`the run reached Task state "${missingHandler}", which has no local handler`);
  if (failure) {
    return { status: "FAILED", error: failure.error, cause: failure.cause, path, calls, retried };
  }
  return { status: "SUCCEEDED", output, path, calls, retried };
}
