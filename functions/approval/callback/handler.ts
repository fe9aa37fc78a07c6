import { KmsLinkSigner } from "../shared/link.js";
import { DynamoApprovalStore } from "../shared/store.js";
import { dynamodbClient } from "../../shared/clients/dynamodb.js";
import { kmsClient } from "../../shared/clients/kms.js";
import { sfnClient } from "../../shared/clients/sfn.js";
import { requiredEnv } from "../../shared/env.js";
import { logger } from "../../shared/logger.js";
import { createCallbackHandler } from "./callback.js";
import { parseApproverDirectory } from "./decider.js";
import { ownerDomainsFrom } from "../../shared/owner-mailbox.js";
import { originOf } from "./same-origin.js";

/** The base URL approval links start with (the API's, or the CloudFront edge's when it is on): its page is the only one that may decide. */
const linkBase = requiredEnv("APPROVAL_API_URL");
const pageOrigin = originOf(linkBase);
if (!pageOrigin) throw new Error(`APPROVAL_API_URL ${JSON.stringify(linkBase)} is not an http(s) URL`);
const approverEmails = process.env.APPROVER_EMAILS;

/** The approval page behind API Gateway: GET shows a request, POST decides it once. */
export const handler = createCallbackHandler({
  store: new DynamoApprovalStore(dynamodbClient, requiredEnv("APPROVALS_TABLE")),
  signer: new KmsLinkSigner(kmsClient, requiredEnv("LINK_KEY_ID")),
  sfn: sfnClient,
  jwtIssuer: process.env.JWT_ISSUER || undefined,
  pageOrigin,
  behindEdge: process.env.BEHIND_EDGE === "true",
  approvers: approverEmails ? parseApproverDirectory(approverEmails) : undefined,
  ownerDomains: ownerDomainsFrom(process.env.OWNER_EMAIL_DOMAINS),
  now: () => new Date(),
  log: logger,
});
