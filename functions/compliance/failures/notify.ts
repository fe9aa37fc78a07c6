import type { Channel } from "../../shared/chat/deliver.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import { channelsNamed, type FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { parseInput } from "../../shared/input.js";
import { failureEventSchema, failureOf, type Failure } from "./events.js";
import { failureDocument } from "./format.js";
import type { FreezeNoticeClaim } from "./freeze-notices.js";
import { InstallSteps } from "../../../contracts/install-runbook.js";
import type { FailureNames } from "./lookup.js";

/** A failure notification did not reach every failure channel: Lambda retries, then the dead-letter queue keeps it. */
export class FailureNotificationNotDelivered extends Error {
  override readonly name = "FailureNotificationNotDelivered";
}

export interface FailureNotifyDeps {
  readonly catalog: () => Promise<FleetCatalog>;
  /** Window, task and instance names, read in the member account through the reader role. */
  readonly lookupNames: (fleet: FleetCatalog, failure: Failure) => Promise<FailureNames>;
  readonly deliver: (channel: Channel, document: NoticeDocument) => Promise<unknown>;
  /** Claims the one freeze message of a window execution in an account and region (freeze-notices.ts). */
  readonly claimFreezeNotice: FreezeNoticeClaim;
  readonly log: (message: string, details: Record<string, unknown>) => void;
}

/** Why an event was not reported: the field the function's result and its log line carry, to count them by. */
export type FailureDropped = "account-not-in-catalog";

/**
 * A member event must come from an account of the fleet catalog, in one of its configured regions:
 * any account of the organization can put events on the central bus, and reporting one means
 * assuming the reader role in the account it names. Compliance-run events are the central
 * account's own (the rule matches the state machine's ARN on the default bus) and assume no role.
 */
function catalogAccount(fleet: FleetCatalog, failure: Failure): { environment: string; accountName: string } | undefined {
  for (const environment of fleet.environments) {
    const account = environment.accounts.find((a) => a.id === failure.accountId);
    if (account?.regions.includes(failure.region)) return { environment: environment.name, accountName: account.name };
  }
  return undefined;
}

/** A failed maintenance window, window task, patch command or compliance run: tell the failure channels. */
export async function notifyFailure(event: unknown, deps: FailureNotifyDeps): Promise<{ channels: number; dropped?: FailureDropped }> {
  const failure = failureOf(parseInput(failureEventSchema, event));
  const fleet = await deps.catalog();
  const account = catalogAccount(fleet, failure);
  if (!account && failure.kind !== "compliance-run") {
    // dropped before any role is assumed; the log line is counted by its `dropped` field
    deps.log("failure event from an account or region not in the fleet catalog: dropped", {
      dropped: "account-not-in-catalog",
      kind: failure.kind,
      accountId: failure.accountId,
      region: failure.region,
      status: failure.status,
    });
    return { channels: 0, dropped: "account-not-in-catalog" };
  }
  const names = await deps.lookupNames(fleet, failure);
  if (names.approvalId) {
    // the approval workflow waits for its own commands and tells everyone it asked how they ended
    deps.log("patch command of the approval workflow: reported by the workflow", {
      approvalId: names.approvalId,
      accountId: failure.accountId,
      region: failure.region,
      status: failure.status,
    });
    return { channels: 0 };
  }
  if (names.emergencyRunId) {
    // an emergency run follows its own commands and tells its channels per wave, failed instances included
    deps.log("patch command of an emergency run: reported by the run", {
      emergencyRunId: names.emergencyRunId,
      accountId: failure.accountId,
      region: failure.region,
      status: failure.status,
    });
    return { channels: 0 };
  }
  if (failure.kind === "install-runbook" && failure.step === InstallSteps.changeFreeze && names.windowExecutionId && failure.automationExecutionId) {
    // during a freeze every instance of the window skips: the first skip of the window execution tells the channels, the others are dropped
    const skip = {
      windowExecutionId: names.windowExecutionId,
      accountId: failure.accountId,
      region: failure.region,
      automationExecutionId: failure.automationExecutionId,
    };
    if (!(await deps.claimFreezeNotice(skip))) {
      deps.log("change freeze skip of a window execution whose message was sent: dropped", { ...skip, instanceId: names.instanceId });
      return { channels: 0 };
    }
  }
  const document = failureDocument(failure, names, account ?? {});
  const channels = channelsNamed(fleet, fleet.failureChannels);
  // every channel is tried; one that fails fails the invocation, which Lambda retries and then hands to the dead-letter queue
  const results = await Promise.allSettled(channels.map((channel) => deps.deliver(channel, document)));
  const failed = results.flatMap((r, i) => (r.status === "rejected" ? [`${channels[i]!.name}: ${(r.reason as Error).message}`] : []));
  deps.log("failure notification", {
    kind: failure.kind,
    accountId: failure.accountId,
    region: failure.region,
    status: failure.status,
    channels: channels.length,
    failed,
  });
  if (failed.length > 0) throw new FailureNotificationNotDelivered(`failure notification not delivered to ${failed.join("; ")}`);
  return { channels: channels.length };
}
