/** IAM's limit on a customer managed policy: characters of the document without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** The size IAM counts: the JSON without whitespace (patchline's strings hold none). */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

const documentOf = (statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/**
 * Splits statements into as few documents as fit IAM's managed-policy limit, in order (greedy); a
 * statement too large for a document of its own is split by its actions (Sids suffixed 1, 2, …).
 * Every document is attached to the same role, so a Deny in any of them applies to all.
 */
export function packStatements(statements: readonly PolicyStatement[], maxChars = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
  const pieces = statements.flatMap((s) => splitStatement(s, maxChars));
  const documents: PolicyStatement[][] = [];
  let current: PolicyStatement[] = [];
  for (const piece of pieces) {
    if (current.length > 0 && policySize(documentOf([...current, piece])) > maxChars) {
      documents.push(current);
      current = [];
    }
    current.push(piece);
  }
  if (current.length > 0) documents.push(current);
  return documents.map(documentOf);
}

function splitStatement(statement: PolicyStatement, maxChars: number): PolicyStatement[] {
  if (policySize(documentOf([statement])) <= maxChars) return [statement];
  if (statement.Action.length < 2) {
    throw new Error(`statement ${statement.Sid} alone is larger than ${maxChars} characters: it cannot be split by actions`);
  }
  const half = Math.ceil(statement.Action.length / 2);
  const parts = [statement.Action.slice(0, half), statement.Action.slice(half)];
  return parts.flatMap((actions, i) => splitStatement({ ...statement, Sid: `${statement.Sid}${i + 1}`, Action: actions }, maxChars));
}
