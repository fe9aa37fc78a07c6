import { expandAction } from "../iam-catalog.js";
import { policyDocuments, statementLabel } from "../policies.js";
import type { Finding, Rule } from "../rule.js";

export const iamActionsExist: Rule = {
  id: "IAM3",
  description: "Every IAM action names an action that exists in the IAM catalog",
  explanation: "IAM accepts misspelled actions silently; the permission is then missing at run time, or a wildcard matches nothing.",
  check: async (json) => {
    const findings: Finding[] = [];
    for (const doc of policyDocuments(json)) {
      for (const [i, s] of doc.statements.entries()) {
        for (const action of [...s.actions, ...s.notActions]) {
          if (action === "*" || action === "*:*") continue;
          if ((await expandAction(action)).length === 0) {
            findings.push({ resource: `data.aws_iam_policy_document.${doc.name}`, message: `${statementLabel(doc, s, i)}: "${action}" is not an IAM action` });
          }
        }
      }
    }
    return findings;
  },
};
