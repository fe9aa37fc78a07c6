import type { Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

export const schedulesBoundedAndEncrypted: Rule = {
  id: "SCHED1",
  description:
    "Every EventBridge Scheduler schedule runs with a role, retries boundedly, dead-letters what it cannot deliver, and encrypts its input with a customer managed key",
  explanation:
    "Without a dead-letter queue a schedule that cannot start its target fails silently; without a retry bound it keeps trying for a day; checkov CKV_AWS_297 wants a CMK for the schedule's input.",
  check: (json) =>
    resourcesOf(json, "aws_scheduler_schedule").flatMap(([name, body]) => {
      const target = (body.target as Block | undefined) ?? {};
      const problems: string[] = [];
      if (typeof target.role_arn !== "string" || target.role_arn === "") problems.push("has no role_arn");
      if (typeof (target.dead_letter_config as Block | undefined)?.arn !== "string") problems.push("has no dead-letter queue");
      const retry = target.retry_policy as Block | undefined;
      if (typeof retry?.maximum_retry_attempts !== "number" || typeof retry.maximum_event_age_in_seconds !== "number")
        problems.push("has no bounded retry policy");
      if (typeof body.kms_key_arn !== "string") problems.push("has no kms_key_arn");
      return problems.map((message) => ({ resource: `aws_scheduler_schedule.${name}`, message }));
    }),
};
