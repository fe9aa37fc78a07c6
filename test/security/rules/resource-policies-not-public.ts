import { policyDocuments, statementLabel } from "../policies.js";
import type { Finding, Rule } from "../rule.js";

const scopingKeys = ["aws:PrincipalOrgID", "aws:SourceAccount", "aws:SourceArn", "aws:PrincipalAccount", "aws:SourceOrgID"];

export const resourcePoliciesNotPublic: Rule = {
  id: "RES1",
  description: 'Resource policies allow "*" principals only with an organization or source condition',
  explanation: "A bucket, bus, topic or key policy that allows any principal without a fixed-value condition is public.",
  check: (json) => {
    const findings: Finding[] = [];
    for (const doc of policyDocuments(json)) {
      if (!doc.kinds.some((k) => k === "resource" || k === "key")) continue;
      doc.statements.forEach((s, i) => {
        if (s.effect !== "Allow") return;
        const anyone = s.principals.some((p) => p.type === "*" || p.identifiers.includes("*"));
        if (anyone && !s.conditions.some((c) => scopingKeys.includes(c.variable) && c.test.startsWith("String"))) {
          findings.push({
            resource: `data.aws_iam_policy_document.${doc.name}`,
            message: `${statementLabel(doc, s, i)} allows any principal without an organization or source condition`,
          });
        }
      });
    }
    return findings;
  },
};
