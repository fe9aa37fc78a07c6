import type * as z from "zod/mini";

/**
 * zod/mini (the tree-shakable build the functions bundle) carries no message texts: every reader of
 * a contract (a function's input, the fleet catalog) says what was expected from the issue itself.
 */
type Issue = z.core.$ZodIssue;

/** zod/mini carries no message texts: say what was expected from the issue itself. */
function describe(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return `does not match ${"pattern" in issue && issue.pattern ? String(issue.pattern) : issue.format}`;
    case "too_small":
      return `must be ${issue.inclusive === false ? "above" : "at least"} ${String(issue.minimum)}`;
    case "too_big":
      return `must be ${issue.inclusive === false ? "below" : "at most"} ${String(issue.maximum)}`;
    case "invalid_union":
      return "matches none of the accepted shapes";
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    default:
      return issue.message;
  }
}

/** Every problem of a failed parse, one after the other, each named by its path. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.path.join(".") || "(input)"}: ${describe(i)}`).join("; ");
}
