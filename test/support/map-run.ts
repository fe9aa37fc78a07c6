import { MAP_RESULTS_PREFIX, type MapRunExecution, type MapRunManifest } from "../../contracts/compliance-run.js";

/** A child execution of a Distributed Map, as its ResultWriter records it. */
export interface ChildRun {
  readonly input: unknown;
  readonly status: MapRunExecution["Status"];
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * The objects a Distributed Map's ResultWriter writes for its children, shaped as Step Functions
 * documents them: `<prefix>/<map run id>/manifest.json` listing result files by status, each file a
 * JSON array of execution records whose Input and Output are JSON strings. `perFile` children per
 * file, so tests cover runs spread over several files.
 */
export function mapRunObjects(bucket: string, children: readonly ChildRun[], perFile = 2, prefix = MAP_RESULTS_PREFIX) {
  const mapRunId = "0f8e6a52-5f6d-4c1b-9a37-3b6d1f0c2e11";
  const folder = `${prefix}/${mapRunId}`;
  const mapRunArn = `arn:aws:states:us-east-1:100000000001:mapRun:patchline-compliance/CollectTargets:${mapRunId}`;
  const objects = new Map<string, string>();
  const files: Record<"SUCCEEDED" | "FAILED" | "PENDING", { Key: string; Size: number }[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  const byStatus = (status: "SUCCEEDED" | "FAILED" | "PENDING") =>
    children.filter((c) =>
      status === "SUCCEEDED"
        ? c.status === "SUCCEEDED"
        : status === "PENDING"
          ? c.status === "PENDING_REDRIVE"
          : c.status !== "SUCCEEDED" && c.status !== "PENDING_REDRIVE",
    );
  for (const status of ["SUCCEEDED", "FAILED", "PENDING"] as const) {
    const list = byStatus(status);
    for (let i = 0; i * perFile < list.length; i++) {
      const records: MapRunExecution[] = list.slice(i * perFile, (i + 1) * perFile).map((child, n) => ({
        ExecutionArn: `arn:aws:states:us-east-1:100000000001:execution:patchline-compliance/CollectTargets:${status}-${i}-${n}`,
        Input: JSON.stringify(child.input),
        ...(child.output !== undefined && { Output: JSON.stringify(child.output) }),
        Status: child.status,
        ...(child.error !== undefined && { Error: child.error }),
        ...(child.cause !== undefined && { Cause: child.cause }),
      }));
      const key = `${folder}/${status}_${i}.json`;
      const body = JSON.stringify(records);
      objects.set(key, body);
      files[status].push({ Key: key, Size: Buffer.byteLength(body) });
    }
  }
  const manifest: MapRunManifest = { DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: files };
  const manifestKey = `${folder}/manifest.json`;
  objects.set(manifestKey, JSON.stringify(manifest));
  return { objects, details: { Bucket: bucket, Key: manifestKey }, mapRunArn };
}
