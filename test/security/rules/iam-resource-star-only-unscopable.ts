import { expandAction, isUnscopable } from "../iam-catalog.js";
import { policyDocuments, statementLabel } from "../policies.js";
import type { Finding, Rule } from "../rule.js";

export const iamResourceStarOnlyUnscopable: Rule = {
  id: "IAM4",
  description: 'Identity policies use Resource "*" only for actions without resource-level permissions',
  explanation: 'An action that can be scoped to ARNs must be; "*" is allowed only where the Service Authorization Reference lists no resource type.',
  check: async (json) => {
    const findings: Finding[] = [];
    for (const doc of policyDocuments(json)) {
      if (!doc.kinds.includes("identity")) continue;
      for (const [i, s] of doc.statements.entries()) {
        if (s.effect !== "Allow" || !s.resources.includes("*")) continue;
        for (const action of s.actions) {
          for (const concrete of await expandAction(action)) {
            if (!(await isUnscopable(concrete))) {
              findings.push({
                resource: `data.aws_iam_policy_document.${doc.name}`,
                message: `${statementLabel(doc, s, i)}: ${concrete} supports resource-level permissions but is granted on "*"`,
              });
            }
          }
        }
      }
    }
    return findings;
  },
};
