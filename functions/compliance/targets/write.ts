import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { runKeys, type Target } from "../../../contracts/compliance-model.js";

/** What the run carries on: where its targets are and how many, never the targets themselves (the state's size stays the same at any organization size). */
export interface TargetsOutput {
  readonly runId: string;
  readonly startedAt: string;
  readonly bucket: string;
  readonly targetsKey: string;
  readonly targetCount: number;
  readonly warnings: readonly string[];
}

/** Writes the run's targets as one JSON array, the shape the Distributed Map's ItemReader reads (InputType JSON). */
export async function writeTargets(
  s3: S3Client,
  bucket: string,
  run: { readonly runId: string; readonly startedAt: string; readonly targets: readonly Target[]; readonly warnings: readonly string[] },
): Promise<TargetsOutput> {
  const targetsKey = runKeys.targets(run.runId);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: targetsKey, Body: JSON.stringify(run.targets), ContentType: "application/json" }));
  return { runId: run.runId, startedAt: run.startedAt, bucket, targetsKey, targetCount: run.targets.length, warnings: run.warnings };
}
