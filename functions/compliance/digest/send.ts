import * as z from "zod/mini";
import type { Channel } from "../../shared/chat/deliver.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import type { ComplianceReport } from "../../../contracts/compliance-model.js";
import type { FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { parseInput } from "../../shared/input.js";
import { digestDocument } from "./digest.js";

const standing = z.object({
  compliancePercent: z.nullable(z.number()),
  managed: z.number(),
  nonCompliant: z.number(),
  unreachable: z.number(),
  notCovered: z.number(),
  targets: z.number(),
});

/** The report step's trend: each environment's change since the last run, and what the history could not keep. */
const trendSchema = z.object({
  changes: z.array(
    z.object({
      environment: z.string(),
      current: standing,
      previous: z.optional(z.extend(standing, { runId: z.string(), startedAt: z.string() })),
    }),
  ),
  warnings: z.array(z.string()),
});

/**
 * What the state machine hands each digest task: one channel, where the run's report is, and the
 * trend (absent in a run started before the trend existed, whose definition does not pass it).
 */
const digestTaskSchema = z.object({
  channel: z.object({ name: z.string(), type: z.enum(["teams", "slack", "email"]), destination: z.string() }),
  report: z.object({
    bucket: z.string(),
    keys: z.object({ json: z.string(), html: z.string() }),
    consoleUrl: z.string(),
    trend: z.optional(trendSchema),
  }),
});

export interface DigestDeps {
  readonly catalog: () => Promise<FleetCatalog>;
  /** The run's report, as the report step wrote it. */
  readonly readReport: (bucket: string, key: string) => Promise<ComplianceReport>;
  readonly deliver: (channel: Channel, document: NoticeDocument) => Promise<{ channel: string; messages: number }>;
  readonly log: (message: string, details: Record<string, unknown>) => void;
}

/** One channel of the digest (the state machine sends channels one at a time, and retries or records a failure). */
export async function sendDigest(event: unknown, deps: DigestDeps): Promise<{ channel: string; messages: number }> {
  const { channel, report: where } = parseInput(digestTaskSchema, event);
  const report = await deps.readReport(where.bucket, where.keys.json);
  const fleet = await deps.catalog();
  const document = digestDocument(report, {
    instanceLimit: fleet.digestInstanceLimit,
    reportLink: { label: "Open the report (AWS console)", url: where.consoleUrl },
    reportPath: `s3://${where.bucket}/${where.keys.html}`,
    ...(where.trend && { trend: where.trend }),
  });
  const result = await deps.deliver(channel, document);
  deps.log("digest delivered", { ...result, runId: report.runId });
  return result;
}
