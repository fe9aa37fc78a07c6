import type * as z from "zod/mini";
import { describeIssues } from "../../contracts/zod-issues.js";

/**
 * Function inputs are validated with zod's tree-shakable build (`zod/mini`): the full `zod` is
 * about 440 KB in a bundle and tens of milliseconds of cold start; the config schema keeps it.
 */

/** The input of a function is not what the state machine sends: a bug, not a transient problem. */
export class InvalidInput extends Error {
  override readonly name = "InvalidInput";
}

/** Parses a function's input, naming each problem by its path. */
export function parseInput<T extends z.ZodMiniType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInput(describeIssues(result.error.issues));
}
