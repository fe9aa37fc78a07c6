import { GetObjectCommand } from "@aws-sdk/client-s3";
import * as z from "zod/mini";
import { parseInput } from "../lib/input.js";
import type { ComplianceReport } from "../lib/compliance/report.js";
import { deliver, webhookUrlFromSecret } from "../lib/chat/deliver.js";
import { retryingFetch } from "../lib/chat/http-retry.js";
import { s3Client } from "../lib/clients/s3.js";
import { secretsManagerClient } from "../lib/clients/secrets-manager.js";
import { snsClient } from "../lib/clients/sns.js";
import { requiredEnv } from "../lib/env.js";
import { catalogLoader } from "../lib/fleet-catalog.js";
import { logger } from "../lib/logger.js";
import { digestDocument } from "./digest.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));
const fetchWithRetry = retryingFetch(fetch);

const eventSchema = z.object({
  channel: z.object({ name: z.string(), type: z.enum(["teams", "slack", "email"]), destination: z.string() }),
  report: z.object({ bucket: z.string(), keys: z.object({ json: z.string(), html: z.string() }), consoleUrl: z.string() }),
});

/** One channel of the digest (the state machine sends channels one at a time). */
export async function handler(event: unknown): Promise<{ channel: string; messages: number }> {
  const { channel, report: where } = parseInput(eventSchema, event);
  const object = await s3Client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.keys.json }));
  const report = JSON.parse(await object.Body!.transformToString("utf-8")) as ComplianceReport;
  const fleet = await catalog();
  const document = digestDocument(report, {
    instanceLimit: fleet.digestInstanceLimit,
    reportLink: { label: "Open the report (AWS console)", url: where.consoleUrl },
    reportPath: `s3://${where.bucket}/${where.keys.html}`,
  });
  const result = await deliver(channel, document, {
    sns: snsClient,
    webhookUrl: (id) => webhookUrlFromSecret(secretsManagerClient, id),
    fetch: fetchWithRetry,
  });
  logger.info("digest delivered", { ...result, runId: report.runId });
  return result;
}
