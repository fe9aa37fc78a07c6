import { STSClient } from "@aws-sdk/client-sts";

/** The function's one STSClient, created at cold start; handlers pass it to the logic, tests pass fakes. */
export const sts = new STSClient({ maxAttempts: 5 });
