import { exampleOrganization } from "../fixtures/organizations/example/index.js";
import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";

/**
 * The example organization as plain data that a test may change freely. Deliberately untyped: the
 * tests write the wrong types and unknown fields that the schema must reject.
 */
// biome-ignore lint/suspicious/noExplicitAny: drafts hold wrong types and unknown fields on purpose
type Loose = any;
export interface ConfigDraft {
  org: Loose;
  environments: Record<string, Loose>;
}

/** A deep copy of the example organization with one change applied. */
export function exampleWith(change: (draft: ConfigDraft) => void): OrgConfigInput {
  const draft = structuredClone(exampleOrganization) as unknown as ConfigDraft;
  change(draft);
  return draft as unknown as OrgConfigInput;
}

/** The problem lines parseOrgConfig reports for `input` (empty when it is valid). */
export function problemsOf(input: OrgConfigInput): readonly string[] {
  try {
    parseOrgConfig(input);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** Shorthand: the problems after one change to the example organization. */
export const problemsAfter = (change: (draft: ConfigDraft) => void): readonly string[] => problemsOf(exampleWith(change));
