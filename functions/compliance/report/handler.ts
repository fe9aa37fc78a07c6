import * as z from "zod/mini";
import { parseInput } from "../../shared/input.js";
import { s3Client } from "../../shared/clients/s3.js";
import { requiredEnv } from "../../shared/env.js";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { channelsNamed } from "../../../contracts/fleet-catalog.js";
import { logger } from "../../shared/logger.js";
import { resultWriterDetails } from "./map-results.js";
import { writeReport, type ReportOutput } from "./run.js";

const bucket = requiredEnv("REPORTS_BUCKET");
const region = requiredEnv("AWS_REGION");
const catalog = catalogLoader(s3Client, bucket, requiredEnv("CATALOG_KEY"));
const evidenceBucket = requiredEnv("EVIDENCE_BUCKET");
const historyBucket = requiredEnv("HISTORY_BUCKET");

const eventSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  startedAt: z.string().check(z.minLength(1)),
  warnings: z.array(z.string()),
  results: resultWriterDetails,
});

/** After the Map: sum the targets up, write the report, say whether there is anything to tell. */
export async function handler(event: unknown): Promise<ReportOutput> {
  const input = parseInput(eventSchema, event);
  const fleet = await catalog();
  const output = await writeReport(
    {
      s3: s3Client,
      bucket,
      region,
      now: () => new Date(),
      environmentOrder: fleet.environments.map((e) => e.name),
      digestChannels: channelsNamed(fleet, fleet.digestChannels),
      allClear: fleet.allClear,
      ownerEmailDomains: fleet.ownerEmailDomains,
      evidence: { bucket: evidenceBucket, environments: fleet.environments.filter((e) => e.collectEvidence).map((e) => e.name) },
      history: { bucket: historyBucket, runs: fleet.trendRuns },
      sla: fleet.sla,
    },
    input,
  );
  logger.info("report written", {
    runId: output.runId,
    counts: output.counts,
    unreachable: output.unreachable,
    report: output.keys.html,
    evidence: output.evidenceKeys,
  });
  // the report is written and the digest goes out; the history's gap is told in the digest too
  for (const warning of output.trend.warnings) logger.warn("run history not written", { runId: output.runId, warning });
  return output;
}
