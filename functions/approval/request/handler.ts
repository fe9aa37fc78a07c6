import { webhookUrlFromSecret } from "../../shared/chat/deliver.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import { KmsLinkSigner } from "../shared/link.js";
import { DynamoApprovalStore } from "../shared/store.js";
import { dynamodbClient } from "../../shared/clients/dynamodb.js";
import { kmsClient } from "../../shared/clients/kms.js";
import { secretsManagerClient } from "../../shared/clients/secrets-manager.js";
import { sesv2Client } from "../../shared/clients/sesv2.js";
import { sfnClient } from "../../shared/clients/sfn.js";
import { snsClient } from "../../shared/clients/sns.js";
import { ownerDomainsFrom } from "../../shared/owner-mailbox.js";
import { integerEnv, optionalEnv, requiredEnv } from "../../shared/env.js";
import { parseInput } from "../../shared/input.js";
import { logger } from "../../shared/logger.js";
import { approvalChannels, approvalPost } from "./chat.js";
import { ask, register, requestInput, type RequestDeps } from "./request.js";

const sender = process.env.SENDER_ADDRESS;
// the digest's retries: 429 and 5xx, Retry-After honoured, each attempt with its own timeout
const fetchWithRetry = retryingFetch(fetch);
const chatDelivery = { sns: snsClient, webhookUrl: (id: string) => webhookUrlFromSecret(secretsManagerClient, id), fetch: fetchWithRetry };
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
  email: sender ? { client: sesv2Client, from: sender, ownerDomains: ownerDomainsFrom(process.env.OWNER_EMAIL_DOMAINS) } : undefined,
  chat: {
    channelsOf: approvalChannels(optionalEnv("APPROVAL_CHANNELS")),
    post: approvalPost(chatDelivery),
  },
  now: () => new Date(),
  log: logger,
};

/** Registers an approval request, or asks for it (`.waitForTaskToken`: the token goes to the table only). */
export const handler = async (event: unknown) => {
  const input = parseInput(requestInput, event);
  return input.action === "register" ? register(input, deps) : ask(input, deps);
};
