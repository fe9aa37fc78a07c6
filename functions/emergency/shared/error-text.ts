/** Characters of an error's message a message or a summary keeps. */
const KEPT = 300;

/**
 * What went wrong, in words: Step Functions hands a caught Lambda error on as its name (`Error`)
 * and a JSON `Cause` whose `errorMessage` is the function's own message; other causes are text.
 */
export function errorText(error: string | undefined, cause: string | undefined): string | undefined {
  if (cause === undefined || cause === "") return error;
  let message = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string") message = parsed.errorMessage;
  } catch {
    // a cause that is not JSON is the message itself
  }
  const kept = message.length > KEPT ? `${message.slice(0, KEPT - 1)}…` : message;
  return error ? `${error}: ${kept}` : kept;
}
