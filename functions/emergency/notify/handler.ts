import { deliver, webhookUrlFromSecret } from "../../shared/chat/deliver.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { s3Client } from "../../shared/clients/s3.js";
import { secretsManagerClient } from "../../shared/clients/secrets-manager.js";
import { snsClient } from "../../shared/clients/sns.js";
import { requiredEnv } from "../../shared/env.js";
import { parseInput } from "../../shared/input.js";
import { logger } from "../../shared/logger.js";
import { notifyInput, notifyRun } from "./notify.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const fetchWithRetry = retryingFetch(fetch);

/** Tells an emergency run's channels that it started, that a wave passed, and how it ended. */
export const handler = (event: unknown): ReturnType<typeof notifyRun> =>
  notifyRun(parseInput(notifyInput, event), {
    catalog,
    deliver: (channel, document) =>
      deliver(channel, document, { sns: snsClient, webhookUrl: (id) => webhookUrlFromSecret(secretsManagerClient, id), fetch: fetchWithRetry }),
    log: logger,
  });
