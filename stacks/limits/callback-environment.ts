import type { OrgConfig } from "../../environments/schema/index.js";
import { callbackEnvironment } from "../approval/page-environment.js";
import type { Naming } from "../naming.js";
import { approvalEnvironmentProblems } from "./approval-environment.js";
import type { LimitProblem } from "./growth.js";

/**
 * With `org.approval.jwt.approversOnly` the approval callback carries every approving
 * environment's approver addresses in one environment variable (`callbackEnvironment`), which has
 * to fit Lambda's 4 KB with the function's other variables.
 */
export function checkCallbackEnvironment(config: OrgConfig, naming: Naming): LimitProblem[] {
  if (!config.org.approval.jwt?.approversOnly) return [];
  return approvalEnvironmentProblems(config, naming, "callback", callbackEnvironment, {
    path: ["org", "approval", "jwt", "approversOnly"],
    carries: "the approval callback would carry every approving environment's approverEmails",
    advice: "list fewer addresses (a group address per environment) or turn approversOnly off",
  });
}
