import { deliver, webhookUrlFromSecret } from "../../shared/chat/deliver.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import { readObjectText, s3Client } from "../../shared/clients/s3.js";
import { secretsManagerClient } from "../../shared/clients/secrets-manager.js";
import { snsClient } from "../../shared/clients/sns.js";
import type { ComplianceReport } from "../../../contracts/compliance-model.js";
import { requiredEnv } from "../../shared/env.js";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { logger } from "../../shared/logger.js";
import { sendDigest } from "./send.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const fetchWithRetry = retryingFetch(fetch);

/** One channel of the digest (the state machine sends channels one at a time). */
export const handler = (event: unknown): Promise<{ channel: string; messages: number }> =>
  sendDigest(event, {
    catalog,
    readReport: async (bucket, key) => {
      const report = JSON.parse(await readObjectText(s3Client, bucket, key)) as ComplianceReport;
      // a report written before findingsTotal existed listed every finding
      return { ...report, findingsTotal: report.findingsTotal ?? report.findings.length };
    },
    deliver: (channel, document) =>
      deliver(channel, document, { sns: snsClient, webhookUrl: (id) => webhookUrlFromSecret(secretsManagerClient, id), fetch: fetchWithRetry }),
    log: (message, details) => logger.info(message, details),
  });
