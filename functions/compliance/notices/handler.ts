import { deliver, webhookUrlFromSecret } from "../../shared/chat/deliver.js";
import { splitDocument } from "../../shared/chat/document.js";
import { emailFormat } from "../../shared/chat/email-format.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import { dynamodbClient } from "../../shared/clients/dynamodb.js";
import { s3Client } from "../../shared/clients/s3.js";
import { secretsManagerClient } from "../../shared/clients/secrets-manager.js";
import { sesv2Client } from "../../shared/clients/sesv2.js";
import { snsClient } from "../../shared/clients/sns.js";
import { stsClient } from "../../shared/clients/sts.js";
import { sendEmail } from "../../shared/email.js";
import { optionalEnv, requiredEnv } from "../../shared/env.js";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { channelsNamed } from "../../../contracts/fleet-catalog.js";
import { logger } from "../../shared/logger.js";
import { windowInstanceClients } from "../shared/member-access.js";
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
      ownerDomains: fleet.ownerEmailDomains,
      now,
    }),
  });
