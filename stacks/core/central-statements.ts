import type { Naming } from "../naming.js";
import type { PolicyStatement } from "./iam-policy.js";

/** Services through which central roles use the central key (objects, tables, topics, secrets, queues). */
export type KeyService = "s3" | "sns" | "secretsmanager" | "dynamodb" | "sqs";

/**
 * Use of the central key on the caller's behalf, only through the named services of the central
 * region (never a direct decrypt of anything else).
 */
export function useCentralKey(
  sid: string,
  key: { readonly arn: string },
  region: string,
  services: readonly KeyService[],
  actions: readonly string[],
): PolicyStatement {
  return {
    sid,
    actions: [...actions],
    resources: [key.arn],
    conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: services.map((s) => `${s}.${region}.amazonaws.com`) }],
  };
}

/** Mail owners through SES from the sender address; SES authorizes the address identity, or its domain's when only the domain is verified. */
export function sendEmailFrom(sid: string, sender: string, region: string, accountId: string): PolicyStatement {
  return {
    sid,
    actions: ["ses:SendEmail"],
    resources: [`arn:aws:ses:${region}:${accountId}:identity/${sender}`, `arn:aws:ses:${region}:${accountId}:identity/${sender.split("@")[1]}`],
  };
}

/** Read the fleet catalog Terraform writes into the reports bucket. */
export function readFleetCatalog(naming: Naming): PolicyStatement {
  return { sid: "ReadFleetCatalog", actions: ["s3:GetObject"], resources: [`arn:aws:s3:::${naming.reportsBucket}/${naming.fleetCatalogKey}`] };
}

/** Where the fleet catalog is: the environment of every function that reads it. */
export function catalogEnvironment(naming: Naming): Record<string, string> {
  return { REPORTS_BUCKET: naming.reportsBucket, CATALOG_KEY: naming.fleetCatalogKey };
}
