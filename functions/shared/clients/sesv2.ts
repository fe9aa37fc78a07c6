import { SESv2Client } from "@aws-sdk/client-sesv2";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const sesv2Client = new SESv2Client({});
