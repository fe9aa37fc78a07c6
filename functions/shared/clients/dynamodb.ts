import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const dynamodbClient = new DynamoDBClient({});
