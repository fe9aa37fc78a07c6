import { S3Client } from "@aws-sdk/client-s3";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const s3Client = new S3Client({});
