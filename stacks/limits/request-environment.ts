import type { OrgConfig } from "../../environments/schema/index.js";
import { requestEnvironment } from "../approval/request-environment.js";
import type { Naming } from "../naming.js";
import { approvalEnvironmentProblems } from "./approval-environment.js";
import type { LimitProblem } from "./growth.js";

/**
 * The approval-request function carries the chat channels of every environment that posts its
 * approval requests to chat (`approval.channels`) in one environment variable (`requestEnvironment`),
 * which has to fit Lambda's 4 KB with the function's other variables.
 */
export function checkRequestEnvironment(config: OrgConfig, naming: Naming): LimitProblem[] {
  const posting = config.environments.filter((e) => e.approval?.enabled && e.approval.channels.length > 0);
  if (posting.length === 0) return [];
  return approvalEnvironmentProblems(config, naming, "request", requestEnvironment, {
    path: [posting.at(-1)!.name, "approval", "channels"],
    carries: `the approval-request function would carry the approval channels of ${posting.map((e) => e.name).join(", ")}`,
    advice: "post to fewer channels (several environments may share one), or shorten channel names",
  });
}
