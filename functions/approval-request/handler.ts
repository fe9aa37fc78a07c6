import { KmsLinkSigner } from "../lib/approval-link.js";
import { DynamoApprovalStore } from "../lib/approval-store.js";
import { dynamodbClient } from "../lib/clients/dynamodb.js";
import { kmsClient } from "../lib/clients/kms.js";
import { sesv2Client } from "../lib/clients/sesv2.js";
import { sfnClient } from "../lib/clients/sfn.js";
import { snsClient } from "../lib/clients/sns.js";
import { integerEnv, requiredEnv } from "../lib/env.js";
import { parseInput } from "../lib/input.js";
import { logger } from "../lib/logger.js";
import { ask, register, requestInput, type RequestDeps } from "./request.js";

const sender = process.env.SENDER_ADDRESS;
const deps: RequestDeps = {
  store: new DynamoApprovalStore(dynamodbClient, requiredEnv("APPROVALS_TABLE")),
  signer: new KmsLinkSigner(kmsClient, requiredEnv("LINK_KEY_ID")),
  sns: snsClient,
  sfn: sfnClient,
  approvalsTopicArn: requiredEnv("APPROVALS_TOPIC_ARN"),
  apiUrl: requiredEnv("APPROVAL_API_URL"),
  ownerTagKey: requiredEnv("OWNER_TAG_KEY"),
  linkValiditySeconds: integerEnv("LINK_VALIDITY_SECONDS", 72 * 3600),
  recordRetentionDays: integerEnv("RECORD_RETENTION_DAYS", 400),
  email: sender ? { client: sesv2Client, from: sender } : undefined,
  now: () => new Date(),
  log: logger,
};

/** Registers an approval request, or asks for it (`.waitForTaskToken`: the token goes to the table only). */
export const handler = async (event: unknown) => {
  const input = parseInput(requestInput, event);
  return input.action === "register" ? register(input, deps) : ask(input, deps);
};
