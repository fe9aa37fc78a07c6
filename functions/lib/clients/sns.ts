import { SNSClient } from "@aws-sdk/client-sns";

/** The function's one SNSClient, created at cold start; handlers pass it to the logic, tests pass fakes. */
export const sns = new SNSClient({ maxAttempts: 5 });
