import { SESv2Client } from "@aws-sdk/client-sesv2";

/** The function's one SESv2Client, created at cold start; handlers pass it to the logic, tests pass fakes. */
export const sesv2 = new SESv2Client({ maxAttempts: 5 });
