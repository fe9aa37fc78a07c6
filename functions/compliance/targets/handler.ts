import * as z from "zod/mini";
import { parseInput } from "../../shared/input.js";
import { organizationsClient } from "../../shared/clients/organizations.js";
import { s3Client } from "../../shared/clients/s3.js";
import { requiredEnv } from "../../shared/env.js";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { logger } from "../../shared/logger.js";
import { listUnits } from "./organizations.js";
import { parseRunInput, resolveTargets, runIdOf } from "./targets.js";
import { writeTargets, type TargetsOutput } from "./write.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));

const eventSchema = z.object({ input: z.unknown(), executionArn: z.string().check(z.minLength(1)), startedAt: z.string().check(z.minLength(1)) });

const bucket = requiredEnv("REPORTS_BUCKET");

/** First step of a compliance run: which (account, region) pairs to collect, written for the Distributed Map to read. */
export async function handler(event: unknown): Promise<TargetsOutput> {
  const { input: rawInput, executionArn, startedAt } = parseInput(eventSchema, event);
  const fleet = await catalog();
  const input = parseRunInput(rawInput, fleet);
  const chosen = new Set(input.environments ?? fleet.environments.map((e) => e.name));
  const unitIds = input.includeOrganizationalUnits === false ? [] : fleet.organizationalUnits.filter((u) => chosen.has(u.environment)).map((u) => u.id);
  const units = await listUnits(organizationsClient, unitIds);
  const targets = resolveTargets(fleet, input, units.accounts);
  const output = await writeTargets(s3Client, bucket, { runId: runIdOf(executionArn, startedAt), startedAt, targets, warnings: units.warnings });
  logger.info("run targets", { targets: targets.length, environments: [...chosen], warnings: units.warnings.length, key: output.targetsKey });
  return output;
}
