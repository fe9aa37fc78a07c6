import { policyDocuments, statementLabel } from "../policies.js";
import type { Finding, Rule } from "../rule.js";

export const iamNoWildcardAction: Rule = {
  id: "IAM2",
  description: 'No Allow statement grants Action "*", every action of a service ("kms:*") or uses NotAction',
  explanation:
    'Action "*" grants every API of every service, "<service>:*" every API of one (in a key policy, "kms:*" is administration and every cryptographic use at once); NotAction grants everything it does not name.',
  check: (json) => {
    const findings: Finding[] = [];
    for (const doc of policyDocuments(json)) {
      doc.statements.forEach((s, i) => {
        if (s.effect !== "Allow") return;
        if (s.actions.some((a) => a === "*" || a === "*:*"))
          findings.push({ resource: `data.aws_iam_policy_document.${doc.name}`, message: `${statementLabel(doc, s, i)} allows Action "*"` });
        for (const action of s.actions.filter((a) => /^[\w-]+:\*$/.test(a)))
          findings.push({
            resource: `data.aws_iam_policy_document.${doc.name}`,
            message: `${statementLabel(doc, s, i)} allows every action of a service (${action})`,
          });
        if (s.notActions.length > 0)
          findings.push({ resource: `data.aws_iam_policy_document.${doc.name}`, message: `${statementLabel(doc, s, i)} allows NotAction` });
      });
    }
    return findings;
  },
};
