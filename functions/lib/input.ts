import type { z } from "zod";

/** The input of a function is not what the state machine sends: a bug, not a transient problem. */
export class InvalidInput extends Error {
  override readonly name = "InvalidInput";
}

/** Parses a function's input, naming each problem by its path. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInput(result.error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; "));
}
