import { KmsLinkSigner } from "../shared/link.js";
import { DynamoApprovalStore } from "../shared/store.js";
import { dynamodbClient } from "../../shared/clients/dynamodb.js";
import { kmsClient } from "../../shared/clients/kms.js";
import { sfnClient } from "../../shared/clients/sfn.js";
import { requiredEnv } from "../../shared/env.js";
import { logger } from "../../shared/logger.js";
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
