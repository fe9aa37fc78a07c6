import { policyDocuments, statementLabel } from "../policies.js";
import type { Finding, Rule } from "../rule.js";

const confusedDeputyKeys = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"];

/**
 * Services a role passed to them is trusted by without a source condition: AWS does not document
 * that they set aws:SourceAccount / aws:SourceArn when assuming it (AWS Backup's service role has
 * none), so a condition could deny them. What binds such a role to its account is iam:PassRole,
 * which cannot pass a role to another account.
 */
const PASSED_ROLE_SERVICES = ["backup.amazonaws.com"];

export const iamTrustScoped: Rule = {
  id: "IAM5",
  description: "Trust policies name roles, not accounts, and bind service principals to this account",
  explanation:
    "An account or root principal trusts every role of that account (checkov CKV_AWS_61); a service principal without aws:SourceAccount/SourceArn lets the service assume the role for anyone (confused deputy).",
  check: (json) => {
    const findings: Finding[] = [];
    for (const doc of policyDocuments(json)) {
      if (!doc.kinds.includes("trust")) continue;
      doc.statements.forEach((s, i) => {
        if (s.effect !== "Allow") return;
        const resource = `data.aws_iam_policy_document.${doc.name}`;
        for (const p of s.principals) {
          if (p.type === "*" || p.identifiers.includes("*")) findings.push({ resource, message: `${statementLabel(doc, s, i)} trusts "*"` });
          if (p.type === "AWS") {
            for (const id of p.identifiers) {
              if (/^\d{12}$/.test(id) || /:root$/.test(id))
                findings.push({ resource, message: `${statementLabel(doc, s, i)} trusts a whole account (${id}); name the role` });
            }
          }
          const passedOnly = p.identifiers.every((id) => PASSED_ROLE_SERVICES.includes(id));
          if (p.type === "Service" && !passedOnly && !s.conditions.some((c) => confusedDeputyKeys.includes(c.variable))) {
            findings.push({
              resource,
              message: `${statementLabel(doc, s, i)} trusts ${p.identifiers.join(", ")} without an aws:SourceAccount / aws:SourceArn condition`,
            });
          }
        }
      });
    }
    return findings;
  },
};
