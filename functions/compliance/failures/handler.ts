import { deliver, webhookUrlFromSecret } from "../../shared/chat/deliver.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import { dynamodbClient } from "../../shared/clients/dynamodb.js";
import { s3Client } from "../../shared/clients/s3.js";
import { secretsManagerClient } from "../../shared/clients/secrets-manager.js";
import { snsClient } from "../../shared/clients/sns.js";
import { stsClient } from "../../shared/clients/sts.js";
import { requiredEnv } from "../../shared/env.js";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { readerRoleArn } from "../../../contracts/fleet-catalog.js";
import { logger } from "../../shared/logger.js";
import { failureLookupClients } from "../shared/member-access.js";
import { dynamoFreezeNoticeClaim } from "./freeze-notices.js";
import { lookupNames } from "./lookup.js";
import { notifyFailure } from "./notify.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const fetchWithRetry = retryingFetch(fetch);
const claimFreezeNotice = dynamoFreezeNoticeClaim(dynamodbClient, requiredEnv("NOTICES_TABLE"), () => new Date());

/** A failed maintenance window, window task, patch command or compliance run: tell the failure channels. */
export const handler = (event: unknown): ReturnType<typeof notifyFailure> =>
  notifyFailure(event, {
    catalog,
    lookupNames: (fleet, failure) =>
      lookupNames({ sts: stsClient, clientsFor: failureLookupClients, roleArn: readerRoleArn(fleet, failure.accountId) }, failure, fleet.ownerTagKey),
    deliver: (channel, document) =>
      deliver(channel, document, { sns: snsClient, webhookUrl: (id) => webhookUrlFromSecret(secretsManagerClient, id), fetch: fetchWithRetry }),
    claimFreezeNotice,
    log: (message, details) => logger.info(message, details),
  });
