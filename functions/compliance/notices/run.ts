import type { FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { dueNotices } from "./due.js";
import { sendDueNotices, type NoticeDeps } from "./send.js";

/** Some notices reached none or only part of their destinations: the next quarter-hour retries them. */
export class NoticesNotDelivered extends Error {
  override readonly name = "NoticesNotDelivered";
}

export interface NoticeRunDeps {
  readonly catalog: () => Promise<FleetCatalog>;
  /** The sending dependencies, for the catalog as it is now. */
  readonly sending: (fleet: FleetCatalog) => NoticeDeps;
  readonly log: (message: string, details: Record<string, unknown>) => void;
  readonly now: () => Date;
}

/**
 * One run of the impending-patch notices: every notice due now and not yet sent goes out. A
 * destination that failed fails the run (its notice stays unsent in the ledger and is tried again).
 */
export async function runNotices(deps: NoticeRunDeps): Promise<{ due: number; sent: number }> {
  const fleet = await deps.catalog();
  const due = dueNotices(fleet, deps.now());
  const outcomes = await sendDueNotices(deps.sending(fleet), due);
  for (const outcome of outcomes) deps.log("notice", { notice: outcome.notice, sent: outcome.sent.length, failed: outcome.failed });
  const failed = outcomes.flatMap((o) => o.failed.map((f) => `${o.notice} ${f}`));
  if (failed.length > 0) {
    throw new NoticesNotDelivered(`${failed.length} notice destination(s) failed and will be retried: ${failed.join("; ").slice(0, 1000)}`);
  }
  return { due: due.length, sent: outcomes.reduce((n, o) => n + o.sent.length, 0) };
}
