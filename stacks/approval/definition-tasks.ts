import type { OutcomeStatus } from "../../contracts/approval.js";
import type { State } from "../core/asl.js";

/** What every part of the approval workflow's definition addresses: the instance, and how it ended. */

/** Where the member-account calls go: account and region come from the validated event. */
export const target = { "account.$": "$.request.account", "region.$": "$.request.region", "instanceId.$": "$.request.instanceId" };

/** A state that records how the workflow ended (`$.outcome`) and hands over to RecordOutcome. */
export function outcome(status: OutcomeStatus, step?: string): State {
  return { Type: "Pass", Result: step ? { status, step } : { status }, ResultPath: "$.outcome", Next: "RecordOutcome" };
}
