import * as z from "zod/mini";
import { emergencyRunSchema, type EmergencyErrors } from "../../../contracts/emergency-patch.js";
import { waveSummarySchema } from "../../../contracts/emergency-results.js";
import { channelsNamed, InvalidFleetCatalog, type CatalogChannel, type FleetCatalog } from "../../../contracts/fleet-catalog.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import type { Log } from "../../shared/logger.js";
import { runMessage } from "./messages.js";

export const notifyInput = z.object({
  kind: z.enum(["started", "wavePassed", "finished", "halted", "broken"]),
  run: emergencyRunSchema,
  results: z._default(z.array(waveSummarySchema), []),
  executionArn: z.string(),
  /** The error the run failed with (kind broken). */
  error: z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) })),
});
export type NotifyInput = z.output<typeof notifyInput>;

/** Some channels did not get the message (each was tried): the run goes on, the execution's history shows this error. */
export class EmergencyNotificationNotDelivered extends Error {
  override readonly name: (typeof EmergencyErrors)["notDelivered"] = "EmergencyNotificationNotDelivered";
}

export interface NotifyDeps {
  readonly catalog: () => Promise<FleetCatalog>;
  readonly deliver: (channel: CatalogChannel, document: NoticeDocument) => Promise<unknown>;
  readonly log: Log;
}

/**
 * The channels of a run: the failure channels (`org.compliance.failureChannels`: the platform
 * team) and the environment's notice channels (`<env>.compliance.noticeChannels`: the owners of its
 * instances, who get impending-patch notices), each once.
 */
export function runChannels(catalog: FleetCatalog, environment: string): CatalogChannel[] {
  const env = catalog.environments.find((e) => e.name === environment);
  if (!env) throw new InvalidFleetCatalog(`environment ${JSON.stringify(environment)} of the run is not in the catalog`);
  return channelsNamed(catalog, [...new Set([...catalog.failureChannels, ...env.noticeChannels])]);
}

/** Tells the run's channels where the run is; every channel is tried, one that fails fails the step (which the run catches and goes on). */
export async function notifyRun(input: NotifyInput, deps: NotifyDeps): Promise<{ readonly channels: number }> {
  const channels = runChannels(await deps.catalog(), input.run.environment);
  // the state machine hands the caught error to a "broken" message; one without it is a definition defect, not an unknown error
  if (input.kind === "broken" && !input.error) throw new Error('a "broken" message needs the error the run failed with (input.error)');
  const message = input.kind === "broken" ? { kind: input.kind, error: input.error! } : { kind: input.kind };
  const document = runMessage(message, { run: input.run, results: input.results, executionArn: input.executionArn });
  const settled = await Promise.allSettled(channels.map((channel) => deps.deliver(channel, document)));
  const failed = settled.flatMap((r, i) => (r.status === "rejected" ? [`${channels[i]!.name}: ${(r.reason as Error).message}`] : []));
  deps.log.info("emergency run message", { runId: input.run.runId, kind: input.kind, channels: channels.length, failed });
  if (failed.length > 0) throw new EmergencyNotificationNotDelivered(`not delivered to ${failed.join("; ")}`);
  return { channels: channels.length };
}
