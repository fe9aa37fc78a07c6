import * as z from "zod/mini";
import type { MapRunExecution } from "../../../contracts/compliance-run.js";
import { parseInput } from "../../shared/input.js";
import { mapResultSchema, targetSchema, type MapResult } from "../shared/schemas.js";

/** Where the Distributed Map's ResultWriter put its manifest (the Map state's `ResultWriterDetails`). */
export const resultWriterDetails = z.object({ Bucket: z.string().check(z.minLength(1)), Key: z.string().check(z.minLength(1)) });
export type ResultWriterDetails = z.output<typeof resultWriterDetails>;

const fileList = z.array(z.object({ Key: z.string(), Size: z.number() }));
const manifestSchema = z.object({
  DestinationBucket: z.string(),
  MapRunArn: z.string(),
  ResultFiles: z.object({ SUCCEEDED: z.optional(fileList), FAILED: z.optional(fileList), PENDING: z.optional(fileList) }),
});
const executionSchema = z.object({
  ExecutionArn: z.string(),
  Input: z.string(),
  Output: z.optional(z.string()),
  Status: z.string(),
  Error: z.optional(z.string()),
  Cause: z.optional(z.string()),
});
const childInput = z.object({ runId: z.string(), target: targetSchema });

/** Reads an object's text: S3 in the function, a map of objects in tests. */
export type ObjectReader = (bucket: string, key: string) => Promise<string>;

/** A child's record, as the state would have held it: the collector's output, or the target it gave up on. */
function resultOf(execution: MapRunExecution): MapResult {
  if (execution.Status === "SUCCEEDED") return parseInput(mapResultSchema, JSON.parse(execution.Output ?? "null"));
  // a child that failed outright (or never ran) still names its target: the report lists it as unreachable
  const { target } = parseInput(childInput, JSON.parse(execution.Input));
  return { status: "unreachable", target, error: execution.Error ?? `child execution ${execution.Status.toLowerCase()}` };
}

/**
 * Every child's result of a Distributed Map run, one result file at a time (a file holds the
 * records of many children; the manifest lists the files by status), so no more than one file is
 * in memory besides what the caller keeps.
 */
export async function* mapRunResults(read: ObjectReader, location: ResultWriterDetails): AsyncGenerator<MapResult> {
  const manifest = parseInput(manifestSchema, JSON.parse(await read(location.Bucket, location.Key)));
  const files = [...(manifest.ResultFiles.SUCCEEDED ?? []), ...(manifest.ResultFiles.FAILED ?? []), ...(manifest.ResultFiles.PENDING ?? [])];
  for (const file of files) {
    const records = parseInput(z.array(executionSchema), JSON.parse(await read(manifest.DestinationBucket, file.Key)));
    for (const record of records) yield resultOf(record as MapRunExecution);
  }
}
