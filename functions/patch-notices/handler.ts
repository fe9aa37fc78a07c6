import { deliver, webhookUrlFromSecret } from "../lib/chat/deliver.js";
import { emailFormat } from "../lib/chat/email-format.js";
import { splitDocument } from "../lib/chat/document.js";
import { retryingFetch } from "../lib/chat/http-retry.js";
import { dynamodbClient } from "../lib/clients/dynamodb.js";
import { s3Client } from "../lib/clients/s3.js";
import { secretsManagerClient } from "../lib/clients/secrets-manager.js";
import { sesv2Client } from "../lib/clients/sesv2.js";
import { snsClient } from "../lib/clients/sns.js";
import { stsClient } from "../lib/clients/sts.js";
import { sendEmail } from "../lib/email.js";
import { optionalEnv, requiredEnv } from "../lib/env.js";
import { catalogLoader, channelsNamed } from "../lib/fleet-catalog.js";
import { logger } from "../lib/logger.js";
import { windowInstanceClients } from "../lib/member-access.js";
import { dueNotices, runAtOf } from "./due.js";
import { dynamoLedger } from "./ledger.js";
import { lookupWindowInstances } from "./lookup.js";
import { sendDueNotices } from "./send.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const table = requiredEnv("NOTICES_TABLE");
const senderAddress = optionalEnv("SENDER_ADDRESS");
const fetchWithRetry = retryingFetch(fetch);

export class NoticesNotDelivered extends Error {
  override readonly name = "NoticesNotDelivered";
}

/** Runs every quarter of an hour: sends the impending-patch notices that are due and not sent yet. */
export async function handler(): Promise<{ due: number; sent: number }> {
  const fleet = await catalog();
  const now = new Date();
  const due = dueNotices(fleet, now);
  const ledger = dynamoLedger(dynamodbClient, table, () => new Date(), runAtOf);
  const outcomes = await sendDueNotices(
    {
      ledger,
      lookup: (notice) => lookupWindowInstances({ sts: stsClient, clientsFor: windowInstanceClients, catalog: fleet }, notice),
      channelsOf: (notice) => channelsNamed(fleet, notice.environment.noticeChannels),
      deliver: (channel, document) =>
        deliver(channel, document, { sns: snsClient, webhookUrl: (id) => webhookUrlFromSecret(secretsManagerClient, id), fetch: fetchWithRetry }),
      mailOwner: senderAddress
        ? async (address, document) => {
            for (const part of splitDocument(document, emailFormat))
              await sendEmail({ client: sesv2Client, from: senderAddress }, { to: [address], subject: part.subject, text: part.body });
          }
        : undefined,
      now: () => new Date(),
    },
    due,
  );
  for (const outcome of outcomes) logger.info("notice", { notice: outcome.notice, sent: outcome.sent.length, failed: outcome.failed });
  const failed = outcomes.flatMap((o) => o.failed.map((f) => `${o.notice} ${f}`));
  if (failed.length > 0)
    throw new NoticesNotDelivered(`${failed.length} notice destination(s) failed and will be retried: ${failed.join("; ").slice(0, 1000)}`);
  return { due: due.length, sent: outcomes.reduce((n, o) => n + o.sent.length, 0) };
}
