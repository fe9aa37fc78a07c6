import * as z from "zod/mini";
import type { MapRunExecution } from "../../contracts/compliance-run.js";
import { parseInput } from "./input.js";

/**
 * What a Distributed Map's ResultWriter wrote, read back: the manifest (result files by status) and
 * each file's execution records, as Step Functions documents them. The compliance report and an
 * emergency run's wave summary read their children's results this way.
 */

/** Where the ResultWriter put its manifest (the Map state's `ResultWriterDetails`). */
export const resultWriterDetails = z.object({ Bucket: z.string().check(z.minLength(1)), Key: z.string().check(z.minLength(1)) });
export type ResultWriterDetails = z.output<typeof resultWriterDetails>;

/** Reads an object's text: S3 in the functions, a map of objects in tests. */
export type ObjectReader = (bucket: string, key: string) => Promise<string>;

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

/**
 * Every child's record of a Distributed Map run, one result file at a time (a file holds the
 * records of many children), so no more than one file is in memory besides what the caller keeps.
 */
export async function* mapRunExecutions(read: ObjectReader, location: ResultWriterDetails): AsyncGenerator<MapRunExecution> {
  const manifest = parseInput(manifestSchema, JSON.parse(await read(location.Bucket, location.Key)));
  const files = [...(manifest.ResultFiles.SUCCEEDED ?? []), ...(manifest.ResultFiles.FAILED ?? []), ...(manifest.ResultFiles.PENDING ?? [])];
  for (const file of files) {
    const records = parseInput(z.array(executionSchema), JSON.parse(await read(manifest.DestinationBucket, file.Key)));
    for (const record of records) yield record as MapRunExecution;
  }
}
