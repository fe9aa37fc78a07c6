import { SNSClient } from "@aws-sdk/client-sns";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const snsClient = new SNSClient({});
