import type { z } from "zod";

/** Renders a config value the way it appears in an error line: strings quoted, objects as compact JSON. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

/** `["prod", "accounts", 1, "id"]` → `prod.accounts[1].id`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "(config)" : out;
}

type RawIssue = z.core.$ZodRawIssue;

/**
 * The message for zod's built-in checks (types, enums, ranges, unknown fields). Checks that need
 * domain wording (account ids, cron expressions, ...) carry their own message at the schema.
 */
export function builtInMessage(issue: RawIssue): string | undefined {
  const input = issue.input;
  switch (issue.code) {
    case "invalid_type":
      return input === undefined ? `is required (${issue.expected})` : `${show(input)} is not a ${issue.expected}`;
    case "invalid_value":
      return `${show(input)} is not allowed; allowed: ${issue.values.map((v) => show(v)).join(", ")}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => show(k)).join(", ")}`;
    case "too_small":
      if (issue.origin === "array" || issue.origin === "set") {
        return `has ${(input as unknown[] | undefined)?.length ?? 0} entries; at least ${issue.minimum} required`;
      }
      if (issue.origin === "string") return `${show(input)} is shorter than ${issue.minimum} characters`;
      return `${show(input)} is below the minimum ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array" || issue.origin === "set") {
        return `has ${(input as unknown[] | undefined)?.length ?? 0} entries; at most ${issue.maximum} allowed`;
      }
      if (issue.origin === "string") return `${show(input)} is longer than ${issue.maximum} characters`;
      return `${show(input)} is above the maximum ${issue.maximum}`;
    case "invalid_key": {
      // the key's own schema says what is wrong with it (e.g. an environment name)
      const inner = (issue as { issues?: ReadonlyArray<{ message?: string }> }).issues?.find((i) => i.message)?.message;
      return inner ?? `${show(input)} is not an allowed key`;
    }
    default:
      return undefined;
  }
}

/** Every configuration problem, one line each: `path: value and what is allowed`. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`patchline configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}
