import { policyDocuments, type IamStatement } from "../security/policies.js";
import { parseReference, resourcesOf, type TerraformJson } from "./terraform-json.js";

/** The statements of the policy document a resource attribute references (e.g. an aws_iam_role_policy's `policy`). */
export function statementsOf(
  json: TerraformJson,
  type: string,
  attribute: string,
  match: (body: Record<string, unknown>) => boolean = () => true,
): IamStatement[] {
  const found = resourcesOf(json, type).find(([, body]) => match(body));
  if (!found) throw new Error(`no ${type} matches`);
  const ref = parseReference(found[1][attribute]);
  const doc = policyDocuments(json).find((d) => d.name === ref?.name);
  if (!doc) throw new Error(`${type}.${found[0]}.${attribute} does not reference a policy document`);
  return [...doc.statements];
}

/** Statements keyed by Sid, for assertions that read like the policy. */
export function bySid(statements: IamStatement[]): Record<string, IamStatement> {
  return Object.fromEntries(statements.map((s) => [s.sid ?? "", s]));
}
