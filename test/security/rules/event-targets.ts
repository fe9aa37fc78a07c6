import type { Finding, Rule } from "../rule.js";
import { parseReference, resourcesOf, type Block } from "../../support/terraform-json.js";

/** A target that starts work (a state machine or a function), by ARN or by reference. */
function startsWork(arn: unknown): boolean {
  if (typeof arn !== "string") return false;
  const ref = parseReference(arn);
  if (ref) return ref.type === "aws_sfn_state_machine" || ref.type === "aws_lambda_function";
  return arn.startsWith("arn:aws:states:") || arn.startsWith("arn:aws:lambda:");
}

export const eventTargetsRetryAndKeepFailures: Rule = {
  id: "EVT1",
  description: "Every EventBridge target retries; targets that start a workflow keep undeliverable events in a dead-letter queue",
  explanation:
    "serverless-rules ES4000. An event that should have started an approval must not vanish; forwarding between buses only retries, because SSM events are best effort and the scheduled compliance run reconciles what is lost.",
  check: (json) =>
    resourcesOf(json, "aws_cloudwatch_event_target").flatMap(([name, body]) => {
      const resource = `aws_cloudwatch_event_target.${name}`;
      const findings: Finding[] = [];
      if (!body.retry_policy) findings.push({ resource, message: "has no retry_policy" });
      if (startsWork(body.arn) && typeof (body.dead_letter_config as Block | undefined)?.arn !== "string")
        findings.push({ resource, message: "starts a workflow without a dead_letter_config" });
      return findings;
    }),
};
