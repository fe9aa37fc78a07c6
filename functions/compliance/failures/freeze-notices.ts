import { PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { asError } from "../../shared/errors.js";

/** One window execution's freeze skips in one account and region: they share a single message. */
export interface FreezeSkip {
  readonly windowExecutionId: string;
  readonly accountId: string;
  readonly region: string;
  /** The Automation execution that skipped: the one that claimed the message may claim it again (a retried delivery). */
  readonly automationExecutionId: string;
}

/** True when this skip is the first of its window execution (or a retry of it): it sends the message. */
export type FreezeNoticeClaim = (skip: FreezeSkip) => Promise<boolean>;

/** The skips outlive their window by a week, then DynamoDB's TTL (the notices ledger's `expiresAt`) removes them. */
const KEEP_SECONDS = 7 * 86_400;
/** The notices ledger's range key; a freeze record has a single item. */
const FREEZE_ITEM = "#freeze";

export const freezeNoticeKey = (skip: Pick<FreezeSkip, "windowExecutionId" | "accountId" | "region">): string =>
  `freeze#${skip.windowExecutionId}#${skip.accountId}#${skip.region}`;

/**
 * Claims the freeze message of a window execution in the notices ledger with a conditional put:
 * during a freeze every instance's runbook execution skips, so thousands of skips arrive at once and
 * only the condition decides, atomically, which one tells the channels. A failed condition means
 * "already told" and is not an error.
 */
export function dynamoFreezeNoticeClaim(client: DynamoDBClient, table: string, now: () => Date): FreezeNoticeClaim {
  return async (skip) => {
    const at = Math.floor(now().getTime() / 1000);
    try {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: freezeNoticeKey(skip) },
            sk: { S: FREEZE_ITEM },
            automationExecutionId: { S: skip.automationExecutionId },
            toldAt: { N: String(at) },
            expiresAt: { N: String(at + KEEP_SECONDS) },
          },
          ConditionExpression: "attribute_not_exists(pk) OR automationExecutionId = :mine",
          ExpressionAttributeValues: { ":mine": { S: skip.automationExecutionId } },
        }),
      );
      return true;
    } catch (thrown) {
      if (asError(thrown).name === "ConditionalCheckFailedException") return false;
      throw thrown;
    }
  };
}
