import * as z from "zod/mini";
import { parseInput } from "../../shared/input.js";
import { coverageChecks, type CoverageCheck } from "../../../contracts/compliance-model.js";
import { targetSchema } from "../shared/schemas.js";
import { s3Client } from "../../shared/clients/s3.js";
import { stsClient } from "../../shared/clients/sts.js";
import { requiredEnv } from "../../shared/env.js";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { readerRoleArn } from "../../../contracts/fleet-catalog.js";
import { logger } from "../../shared/logger.js";
import { complianceReadClients } from "../shared/member-access.js";
import { collectTarget, type CollectorOutput } from "./run.js";

const bucket = requiredEnv("REPORTS_BUCKET");
const catalog = catalogLoader(s3Client, bucket, requiredEnv("CATALOG_KEY"));
/** The compliance data bucket: missing patches go there when the organization has a patch SLA. */
const dataBucket = requiredEnv("DATA_BUCKET");

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
    {
      runId,
      target,
      roleArn: readerRoleArn(fleet, target.accountId),
      coverageRules,
      ownerTagKey: fleet.ownerTagKey,
      patchGroupTagKey: fleet.patchGroupTagKey,
      // an environment another is promoted from: its patching is the evidence the promotion weighs
      evidence: environment?.collectEvidence ? { windowNames: environment.maintenanceWindows.map((w) => w.name) } : undefined,
      sla: fleet.sla ? { days: fleet.sla, bucket: dataBucket } : undefined,
    },
  );
  logger.info("target collected", {
    accountId: target.accountId,
    region: target.region,
    status: output.status,
    counts: output.counts,
    evidenceKey: output.evidenceKey,
  });
  return output;
}
