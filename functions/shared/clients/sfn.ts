import { SFNClient } from "@aws-sdk/client-sfn";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const sfnClient = new SFNClient({});
