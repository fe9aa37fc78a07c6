import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from "@aws-sdk/client-s3";
import { surfaceTransient } from "../errors.js";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const s3Client = new S3Client({});

/**
 * An object's text. Throttling or a 5xx is TransientAwsError, which the state machines retry; a
 * missing object or one without a body is not (retrying would not make it appear).
 */
export async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  let object: GetObjectCommandOutput;
  try {
    object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    surfaceTransient(error, `s3:GetObject ${key}`);
  }
  const text = await object.Body?.transformToString("utf-8");
  if (text === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
  return text;
}
