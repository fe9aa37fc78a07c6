import { policyUsages } from "../policies.js";
import type { Rule } from "../rule.js";

export const iamPoliciesFromDocuments: Rule = {
  id: "IAM1",
  description: "Every IAM policy is rendered from an aws_iam_policy_document",
  explanation: "Inline JSON strings escape the other IAM rules; one shape for every policy keeps them all inspectable.",
  check: (json) =>
    policyUsages(json)
      .filter((u) => u.document === undefined)
      .map((u) => ({ resource: u.usedBy, message: "policy is an inline string, not a reference to an aws_iam_policy_document" })),
};
