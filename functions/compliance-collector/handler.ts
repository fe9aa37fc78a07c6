import * as z from "zod/mini";
import { parseInput } from "../lib/input.js";
import { coverageChecks, type CoverageCheck } from "../lib/compliance/model.js";
import { targetSchema } from "../lib/compliance/schemas.js";
import { s3Client } from "../lib/clients/s3.js";
import { stsClient } from "../lib/clients/sts.js";
import { requiredEnv } from "../lib/env.js";
import { catalogLoader, readerRoleArn } from "../lib/fleet-catalog.js";
import { logger } from "../lib/logger.js";
import { complianceReadClients } from "../lib/member-access.js";
import { collectTarget, type CollectorOutput } from "./run.js";

const bucket = requiredEnv("REPORTS_BUCKET");
const catalog = catalogLoader(s3Client, bucket, requiredEnv("CATALOG_KEY"));

const eventSchema = z.object({ runId: z.string().check(z.minLength(1)), target: targetSchema });

/** One Map iteration of the compliance run: collect one (account, region). */
export async function handler(event: unknown): Promise<CollectorOutput> {
  const { runId, target } = parseInput(eventSchema, event);
  const fleet = await catalog();
  const environment = fleet.environments.find((e) => e.name === target.environment);
  const coverageRules = environment?.tagCompliance
    ? Object.entries(fleet.coverageRules)
        .filter(([check]) => check in coverageChecks)
        .map(([check, ruleName]) => ({ check: check as CoverageCheck, ruleName }))
    : [];
  const output = await collectTarget(
    { sts: stsClient, s3: s3Client, clientsFor: complianceReadClients, bucket, now: () => new Date() },
    { runId, target, roleArn: readerRoleArn(fleet, target.accountId), coverageRules, ownerTagKey: fleet.ownerTagKey },
  );
  logger.info("target collected", { accountId: target.accountId, region: target.region, status: output.status, counts: output.counts });
  return output;
}
