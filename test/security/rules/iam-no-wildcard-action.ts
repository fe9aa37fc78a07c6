import { policyDocuments, statementLabel } from "../policies.js";
import type { Finding, Rule } from "../rule.js";

export const iamNoWildcardAction: Rule = {
  id: "IAM2",
  description: 'No Allow statement grants Action "*" or uses NotAction',
  explanation: 'Action "*" grants every API of every service; NotAction grants everything it does not name.',
  check: (json) => {
    const findings: Finding[] = [];
    for (const doc of policyDocuments(json)) {
      doc.statements.forEach((s, i) => {
        if (s.effect !== "Allow") return;
        if (s.actions.some((a) => a === "*" || a === "*:*"))
          findings.push({ resource: `data.aws_iam_policy_document.${doc.name}`, message: `${statementLabel(doc, s, i)} allows Action "*"` });
        if (s.notActions.length > 0)
          findings.push({ resource: `data.aws_iam_policy_document.${doc.name}`, message: `${statementLabel(doc, s, i)} allows NotAction` });
      });
    }
    return findings;
  },
};
