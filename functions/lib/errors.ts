/** Narrows anything thrown to an Error, so handlers can read `name` and `message` safely. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(typeof thrown === "string" ? thrown : JSON.stringify(thrown));
}
