import type { Rule } from "../rule.js";
import { parseReference, resourcesOf } from "../../support/terraform-json.js";

/** Targets that run code or workflows: a lost event there is a lost notification or run. */
function invokesCode(arn: unknown): boolean {
  const ref = parseReference(arn);
  if (ref) return ref.type === "aws_lambda_function" || ref.type === "aws_sfn_state_machine";
  return typeof arn === "string" && (arn.startsWith("arn:aws:lambda:") || arn.startsWith("arn:aws:states:"));
}

export const eventTargetsRetryAndDeadLetter: Rule = {
  id: "EVT1",
  description: "Every EventBridge rule target has a retry policy; targets that invoke functions or state machines also a dead-letter queue",
  explanation: "serverless-rules ES4000: an event EventBridge cannot deliver is dropped after its retries unless a dead-letter queue keeps it (research §3.6).",
  check: (json) =>
    resourcesOf(json, "aws_cloudwatch_event_target").flatMap(([name, body]) => {
      const problems: string[] = [];
      if (!body.retry_policy) problems.push("has no retry policy");
      if (invokesCode(body.arn) && !body.dead_letter_config) problems.push("invokes a function or state machine without a dead-letter queue");
      return problems.map((message) => ({ resource: `aws_cloudwatch_event_target.${name}`, message }));
    }),
};
