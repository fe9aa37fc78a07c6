import { KmsLinkSigner } from "../lib/approval-link.js";
import { DynamoApprovalStore } from "../lib/approval-store.js";
import { dynamodbClient } from "../lib/clients/dynamodb.js";
import { kmsClient } from "../lib/clients/kms.js";
import { sfnClient } from "../lib/clients/sfn.js";
import { requiredEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { createCallbackHandler } from "./callback.js";

/** The approval page behind API Gateway: GET shows a request, POST decides it once. */
export const handler = createCallbackHandler({
  store: new DynamoApprovalStore(dynamodbClient, requiredEnv("APPROVALS_TABLE")),
  signer: new KmsLinkSigner(kmsClient, requiredEnv("LINK_KEY_ID")),
  sfn: sfnClient,
  jwtIssuer: process.env.JWT_ISSUER || undefined,
  now: () => new Date(),
  log: logger,
});
