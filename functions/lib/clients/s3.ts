import { S3Client } from "@aws-sdk/client-s3";

/** The function's one S3Client, created at cold start; handlers pass it to the logic, tests pass fakes. */
export const s3 = new S3Client({ maxAttempts: 5 });
