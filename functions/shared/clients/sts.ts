import { STSClient } from "@aws-sdk/client-sts";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const stsClient = new STSClient({});
