import { DynamoApprovalStore } from "../shared/store.js";
import { dynamodbClient } from "../../shared/clients/dynamodb.js";
import { sesv2Client } from "../../shared/clients/sesv2.js";
import { snsClient } from "../../shared/clients/sns.js";
import { ownerDomainsFrom } from "../../shared/owner-mailbox.js";
import { integerEnv, requiredEnv } from "../../shared/env.js";
import { parseInput } from "../../shared/input.js";
import { logger } from "../../shared/logger.js";
import { closeUnanswered, finish, outcomeInput, type OutcomeDeps } from "./outcome.js";

const sender = process.env.SENDER_ADDRESS;
const deps: OutcomeDeps = {
  store: new DynamoApprovalStore(dynamodbClient, requiredEnv("APPROVALS_TABLE")),
  sns: snsClient,
  approvalsTopicArn: requiredEnv("APPROVALS_TOPIC_ARN"),
  escalationTopicArn: requiredEnv("ESCALATION_TOPIC_ARN"),
  notificationsTopicArn: requiredEnv("NOTIFICATIONS_TOPIC_ARN"),
  recordRetentionDays: integerEnv("RECORD_RETENTION_DAYS", 400),
  email: sender ? { client: sesv2Client, from: sender, ownerDomains: ownerDomainsFrom(process.env.OWNER_EMAIL_DOMAINS) } : undefined,
  now: () => new Date(),
  log: logger,
};

/** Closes unanswered requests (escalating them) and records and announces how each workflow ended. */
export const handler = async (event: unknown) => {
  const input = parseInput(outcomeInput, event);
  return input.action === "closeUnanswered" ? closeUnanswered(input, deps) : finish(input, deps);
};
