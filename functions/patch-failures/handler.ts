import { deliver, webhookUrlFromSecret } from "../lib/chat/deliver.js";
import { retryingFetch } from "../lib/chat/http-retry.js";
import { s3Client } from "../lib/clients/s3.js";
import { secretsManagerClient } from "../lib/clients/secrets-manager.js";
import { snsClient } from "../lib/clients/sns.js";
import { stsClient } from "../lib/clients/sts.js";
import { requiredEnv } from "../lib/env.js";
import { catalogLoader, channelsNamed, readerRoleArn } from "../lib/fleet-catalog.js";
import { logger } from "../lib/logger.js";
import { failureLookupClients } from "../lib/member-access.js";
import { parseInput } from "../lib/input.js";
import { failureEventSchema, failureOf } from "./events.js";
import { failureDocument } from "./format.js";
import { lookupNames } from "./lookup.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const fetchWithRetry = retryingFetch(fetch);

export class FailureNotificationNotDelivered extends Error {
  override readonly name = "FailureNotificationNotDelivered";
}

/** A failed maintenance window, window task, patch command or compliance run: tell the failure channels. */
export async function handler(event: unknown): Promise<{ channels: number }> {
  const failure = failureOf(parseInput(failureEventSchema, event));
  const fleet = await catalog();
  const environment = fleet.environments.find((e) => e.accounts.some((a) => a.id === failure.accountId));
  const account = { environment: environment?.name, accountName: environment?.accounts.find((a) => a.id === failure.accountId)?.name };
  const names = await lookupNames(
    { sts: stsClient, clientsFor: failureLookupClients, roleArn: readerRoleArn(fleet, failure.accountId) },
    failure,
    fleet.ownerTagKey,
  );
  if (names.approvalId) {
    // the approval workflow waits for its own commands and tells everyone it asked how they ended
    logger.info("patch command of the approval workflow: reported by the workflow", {
      approvalId: names.approvalId,
      accountId: failure.accountId,
      region: failure.region,
      status: failure.status,
    });
    return { channels: 0 };
  }
  const document = failureDocument(failure, names, account);
  const channels = channelsNamed(fleet, fleet.failureChannels);
  // every channel is tried; one that fails fails the invocation, which Lambda retries and then hands to the dead-letter queue
  const results = await Promise.allSettled(
    channels.map((channel) =>
      deliver(channel, document, { sns: snsClient, webhookUrl: (id) => webhookUrlFromSecret(secretsManagerClient, id), fetch: fetchWithRetry }),
    ),
  );
  const failed = results.flatMap((r, i) => (r.status === "rejected" ? [`${channels[i]!.name}: ${(r.reason as Error).message}`] : []));
  logger.info("failure notification", {
    kind: failure.kind,
    accountId: failure.accountId,
    region: failure.region,
    status: failure.status,
    channels: channels.length,
    failed,
  });
  if (failed.length > 0) throw new FailureNotificationNotDelivered(`failure notification not delivered to ${failed.join("; ")}`);
  return { channels: channels.length };
}
