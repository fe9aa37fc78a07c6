import { SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { DecisionRecord } from "./record.js";
import { surfaceTransient } from "../../shared/errors.js";

/** SendTaskSuccess errors that mean the token's wait is over (timed out, or the execution moved on). */
const notWaiting = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/**
 * Hands a decision to the task waiting on `taskToken`. `not-waiting` means that wait has ended;
 * the decision stays recorded and the workflow's next step (a reminder's wait, or closing the
 * request) picks it up from the table.
 */
export async function deliverDecision(sfn: SFNClient, taskToken: string, decision: DecisionRecord): Promise<"delivered" | "not-waiting"> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(decision) }));
    return "delivered";
  } catch (error) {
    if (error instanceof Error && notWaiting.has(error.name)) return "not-waiting";
    surfaceTransient(error, "states SendTaskSuccess");
  }
}
