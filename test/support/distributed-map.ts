import type { MapState, State, StateMachineDefinition } from "../../stacks/core/asl.js";
import { executeLocally, taskError, type LocalExecution, type TaskHandler } from "./local-state-machine.js";
import { mapRunObjects, type ChildRun } from "./map-run.js";

/** `$`, `$.a.b` of the state input and `$$.Map.Item.Value`: the paths the run's Map uses. */
function valueAt(path: string, input: unknown, item: unknown): unknown {
  if (path === "$$.Map.Item.Value") return item;
  if (path === "$") return input;
  if (!path.startsWith("$.")) throw new Error(`the Distributed Map emulation does not resolve ${path}`);
  return path
    .slice(2)
    .split(".")
    .reduce<unknown>((value, field) => (value as Record<string, unknown> | undefined)?.[field], input);
}

/** A Parameters/ItemSelector object with its `.$` fields resolved. */
const resolve = (template: Readonly<Record<string, unknown>>, input: unknown, item?: unknown): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(template).map(([key, value]) => (key.endsWith(".$") ? [key.slice(0, -2), valueAt(String(value), input, item)] : [key, value])),
  );

export interface DistributedMapEmulation {
  /** The definition with the Distributed Map state replaced by a Task the emulation answers. */
  readonly definition: StateMachineDefinition;
  /** The parent's task handler for that state. */
  readonly tasks: Record<string, TaskHandler>;
  /** What the children's tasks were called with, by state name, over all children. */
  readonly childCalls: Map<string, unknown[]>;
  readonly children: LocalExecution[];
}

/**
 * Runs a definition's Distributed Map the way Step Functions does, as far as patchline depends on
 * it (aws-local-stepfunctions runs inline Maps only): items from the ItemReader's S3 object (a JSON
 * array), each item through ItemSelector into one local execution of the ItemProcessor, the run
 * stopped with States.ExceedToleratedFailureThreshold past ToleratedFailurePercentage, and the
 * results written as the ResultWriter writes them (manifest and result files, test/support/map-run.ts).
 * `objects` stands for S3 (key → text).
 */
export function emulateDistributedMap(
  definition: StateMachineDefinition,
  stateName: string,
  objects: Map<string, string>,
  childTasks: Record<string, TaskHandler>,
): DistributedMapEmulation {
  const map = definition.States[stateName] as MapState | undefined;
  if (map?.Type !== "Map" || map.ItemProcessor.ProcessorConfig?.Mode !== "DISTRIBUTED" || !map.ItemReader || !map.ResultWriter)
    throw new Error(`${stateName} is no Distributed Map with an ItemReader and a ResultWriter`);
  const { ProcessorConfig: _config, ...child } = map.ItemProcessor;
  const childCalls = new Map<string, unknown[]>();
  const children: LocalExecution[] = [];
  const task: State = {
    Type: "Task",
    Comment: `stands in for the Distributed Map ${stateName} in local runs`,
    Resource: "arn:aws:lambda:us-east-1:100000000001:function:distributed-map-emulation",
    Parameters: { "input.$": "$" },
    ...(map.ResultPath !== undefined && { ResultPath: map.ResultPath }),
    ...(map.Next ? { Next: map.Next } : { End: true as const }),
  };
  const handler: TaskHandler = async (parameters) => {
    const input = (parameters as { input: unknown }).input;
    const reader = resolve(map.ItemReader!.Parameters, input) as { Bucket: string; Key: string };
    const text = objects.get(reader.Key);
    if (text === undefined) throw taskError("States.ItemReaderFailed", `no object s3://${reader.Bucket}/${reader.Key}`);
    const items = JSON.parse(text) as unknown[];
    const runs: ChildRun[] = [];
    for (const item of items) {
      const childInput = map.ItemSelector ? resolve(map.ItemSelector, input, item) : item;
      const execution = await executeLocally({ ...child, Comment: `child of ${stateName}` }, childInput, { tasks: childTasks });
      children.push(execution);
      for (const [name, calls] of execution.calls) childCalls.set(name, [...(childCalls.get(name) ?? []), ...calls]);
      runs.push(
        execution.status === "SUCCEEDED"
          ? { input: childInput, status: "SUCCEEDED", output: execution.output }
          : { input: childInput, status: "FAILED", error: execution.error, cause: String(execution.cause) },
      );
    }
    const failed = runs.filter((r) => r.status !== "SUCCEEDED").length;
    if (items.length > 0 && (failed * 100) / items.length > (map.ToleratedFailurePercentage ?? 0))
      throw taskError("States.ExceedToleratedFailureThreshold", `${failed} of ${items.length} child executions failed`);
    const writer = map.ResultWriter!.Parameters as { Bucket: string; Prefix: string };
    const written = mapRunObjects(writer.Bucket, runs, 2, writer.Prefix);
    for (const [key, value] of written.objects) objects.set(key, value);
    return { MapRunArn: written.mapRunArn, ResultWriterDetails: written.details };
  };
  return { definition: { ...definition, States: { ...definition.States, [stateName]: task } }, tasks: { [stateName]: handler }, childCalls, children };
}
