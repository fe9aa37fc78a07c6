import { requiredEnv } from "./env.js";
import { fill } from "./template.js";

/** Where Run Command output goes, as the maintenance windows send it: the central bucket and each region's log group. */
export interface RunCommandOutput {
  readonly bucket: string;
  readonly bucketRegion: string;
  /** `run-command/{environment}/{account}/{region}` (Naming.runCommandOutputPrefix with placeholders). */
  readonly keyPrefixTemplate: string;
  readonly logGroup: string;
}

/** The output settings the stacks give a function that sends patch commands (OUTPUT_BUCKET, OUTPUT_BUCKET_REGION, …). */
export const runCommandOutputFromEnv = (): RunCommandOutput => ({
  bucket: requiredEnv("OUTPUT_BUCKET"),
  bucketRegion: requiredEnv("OUTPUT_BUCKET_REGION"),
  keyPrefixTemplate: requiredEnv("OUTPUT_KEY_PREFIX_TEMPLATE"),
  logGroup: requiredEnv("RUN_COMMAND_LOG_GROUP"),
});

/** SendCommand's output members for a command in one account and region, under `<the windows' prefix>/<path>`. */
export function commandOutput(output: RunCommandOutput, where: { environment: string; account: string; region: string }, path: string) {
  const prefix = fill(output.keyPrefixTemplate, where);
  return {
    OutputS3BucketName: output.bucket,
    OutputS3Region: output.bucketRegion,
    OutputS3KeyPrefix: `${prefix}/${path}`,
    CloudWatchOutputConfig: { CloudWatchLogGroupName: output.logGroup, CloudWatchOutputEnabled: true },
  };
}
