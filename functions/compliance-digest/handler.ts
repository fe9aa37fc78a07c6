import { GetObjectCommand } from "@aws-sdk/client-s3";
import { deliver, webhookUrlFromSecret } from "../lib/chat/deliver.js";
import { retryingFetch } from "../lib/chat/http-retry.js";
import { s3Client } from "../lib/clients/s3.js";
import { secretsManagerClient } from "../lib/clients/secrets-manager.js";
import { snsClient } from "../lib/clients/sns.js";
import type { ComplianceReport } from "../lib/compliance/report.js";
import { requiredEnv } from "../lib/env.js";
import { catalogLoader } from "../lib/fleet-catalog.js";
import { logger } from "../lib/logger.js";
import { sendDigest } from "./send.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const fetchWithRetry = retryingFetch(fetch);

/** One channel of the digest (the state machine sends channels one at a time). */
export const handler = (event: unknown): Promise<{ channel: string; messages: number }> =>
  sendDigest(event, {
    catalog,
    readReport: async (bucket, key) => {
      const object = await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await object.Body!.transformToString("utf-8")) as ComplianceReport;
    },
    deliver: (channel, document) =>
      deliver(channel, document, { sns: snsClient, webhookUrl: (id) => webhookUrlFromSecret(secretsManagerClient, id), fetch: fetchWithRetry }),
    log: (message, details) => logger.info(message, details),
  });
