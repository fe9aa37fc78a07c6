import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** The function's one DynamoDBClient, created at cold start; handlers pass it to the logic, tests pass fakes. */
export const dynamodb = new DynamoDBClient({ maxAttempts: 5 });
