import { expandAction } from "../iam-catalog.js";
import { policyDocuments, statementLabel } from "../policies.js";
import type { Finding, Rule } from "../rule.js";

/** The operations that use a key's material: what "using the key" means, as opposed to administering it. */
const CRYPTOGRAPHIC_ACTIONS = new Set(
  [
    "Decrypt",
    "DeriveSharedSecret",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "VerifyMac",
  ].map((a) => `kms:${a.toLowerCase()}`),
);

/** Condition operators that admit only what they list (a negated or IfExists operator admits anybody without the key). */
const NARROWING_OPERATORS = new Set(["ArnEquals", "ArnLike", "StringEquals", "StringLike"]);

/** ArnLike and StringLike expand `*` and `?`, and so does ArnEquals: a value with either names a set of roles, not a role. */
const isWildcard = (value: string) => /[*?]/.test(value);

const isWholeAccount = (id: string) => id === "*" || /^\d{12}$/.test(id) || /^arn:aws[\w-]*:iam::\d{12}:root$/.test(id);

export const kmsKeyUsageScoped: Rule = {
  id: "KMS1",
  description: "Key policies grant cryptographic use to a whole account (root, account id or *) only for roles named by aws:PrincipalArn",
  explanation:
    "A key policy statement whose principal is an account (or *) hands the key to every principal of it whose IAM allows the action: a power user or the deploy role could decrypt patchline's data or mint approval links. Cryptographic actions (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, GenerateMac, VerifyMac, Sign, Verify, DeriveSharedSecret, or a wildcard matching one) need an ArnEquals/ArnLike/StringEquals/StringLike condition on aws:PrincipalArn naming who, each value a role's whole ARN (no * or ?); administration needs none.",
  check: async (json) => {
    const findings: Finding[] = [];
    for (const doc of policyDocuments(json)) {
      if (!doc.kinds.includes("key")) continue;
      for (const [i, s] of doc.statements.entries()) {
        if (s.effect !== "Allow") continue;
        const accounts = s.principals.flatMap((p) => (p.type === "*" || p.type === "AWS" ? p.identifiers.filter(isWholeAccount) : []));
        if (accounts.length === 0) continue;
        const expanded = (await Promise.all(s.actions.map((a) => (a === "*" ? expandAction("kms:*") : expandAction(a))))).flat();
        const crypto = [...new Set(expanded.filter((a) => CRYPTOGRAPHIC_ACTIONS.has(a.toLowerCase())))];
        if (crypto.length === 0) continue;
        const naming = s.conditions.filter((c) => c.variable.toLowerCase() === "aws:principalarn" && NARROWING_OPERATORS.has(c.test));
        const wildcards = naming.flatMap((c) => c.values.filter(isWildcard));
        if (wildcards.length > 0) {
          findings.push({
            resource: `data.aws_iam_policy_document.${doc.name}`,
            message: `${statementLabel(doc, s, i)} grants ${crypto.sort().join(", ")} to ${accounts.join(", ")} for aws:PrincipalArn ${wildcards.map((w) => JSON.stringify(w)).join(", ")}: a wildcard matches roles nobody named; list each role's ARN`,
          });
          continue;
        }
        if (!naming.some((c) => c.values.length > 0))
          findings.push({
            resource: `data.aws_iam_policy_document.${doc.name}`,
            message: `${statementLabel(doc, s, i)} grants ${crypto.sort().join(", ")} to ${accounts.join(", ")} without an aws:PrincipalArn condition naming who`,
          });
      }
    }
    return findings;
  },
};
