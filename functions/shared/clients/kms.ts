import { KMSClient } from "@aws-sdk/client-kms";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const kmsClient = new KMSClient({});
