import * as z from "zod/mini";
import type { MapRunExecution } from "../../../contracts/compliance-run.js";
import { parseInput } from "../../shared/input.js";
import { mapRunExecutions, type ObjectReader, type ResultWriterDetails } from "../../shared/map-run.js";
import { mapResultSchema, targetSchema, type MapResult } from "../shared/schemas.js";

export { resultWriterDetails, type ObjectReader, type ResultWriterDetails } from "../../shared/map-run.js";

const childInput = z.object({ runId: z.string(), target: targetSchema });

/** A child's record, as the state would have held it: the collector's output, or the target it gave up on. */
function resultOf(execution: MapRunExecution): MapResult {
  if (execution.Status === "SUCCEEDED") return parseInput(mapResultSchema, JSON.parse(execution.Output ?? "null"));
  // a child that failed outright (or never ran) still names its target: the report lists it as unreachable
  const { target } = parseInput(childInput, JSON.parse(execution.Input));
  return { status: "unreachable", target, error: execution.Error ?? `child execution ${execution.Status.toLowerCase()}` };
}

/** Every child's result of the collection's Distributed Map run, one result file at a time. */
export async function* mapRunResults(read: ObjectReader, location: ResultWriterDetails): AsyncGenerator<MapResult> {
  for await (const execution of mapRunExecutions(read, location)) yield resultOf(execution);
}
