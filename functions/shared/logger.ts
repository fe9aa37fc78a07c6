import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The one structured JSON logger of every function. The service name comes from
 * POWERTOOLS_SERVICE_NAME, which the LambdaFunction construct sets to the function's name.
 * Never log task tokens, approval signatures or webhook URLs.
 */
export const logger = new Logger();

/** What logic modules use of the logger; tests pass a silent or recording one. */
export type Log = Pick<Logger, "info" | "warn" | "error">;
