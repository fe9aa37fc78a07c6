import { deliver, webhookUrlFromSecret } from "../lib/chat/deliver.js";
import { splitDocument } from "../lib/chat/document.js";
import { emailFormat } from "../lib/chat/email-format.js";
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
import { runAtOf } from "./due.js";
import { dynamoLedger } from "./ledger.js";
import { lookupWindowInstances } from "./lookup.js";
import { runNotices } from "./run.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const table = requiredEnv("NOTICES_TABLE");
const senderAddress = optionalEnv("SENDER_ADDRESS");
const fetchWithRetry = retryingFetch(fetch);
const now = () => new Date();

/** Runs every quarter of an hour: sends the impending-patch notices that are due and not sent yet. */
export const handler = (): Promise<{ due: number; sent: number }> =>
  runNotices({
    catalog,
    now,
    log: (message, details) => logger.info(message, details),
    sending: (fleet) => ({
      ledger: dynamoLedger(dynamodbClient, table, now, runAtOf),
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
      now,
    }),
  });
