import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The one structured JSON logger of every function. The service name comes from
 * POWERTOOLS_SERVICE_NAME, which the LambdaFunction construct sets to the function's name.
 * Never log task tokens, approval signatures or webhook URLs.
 */
export const logger = new Logger();
