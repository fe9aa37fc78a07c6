import { describe, expect, it } from "vitest";
import { exampleCatalog } from "../../../test/support/catalog.js";
import type { Channel } from "../../shared/chat/deliver.js";
import { FailureNotificationNotDelivered, notifyFailure, type FailureNotifyDeps } from "./notify.js";
import { windowExecutionFailed } from "../../../test/fixtures/ssm-events.js";

const windowFailed = windowExecutionFailed;

function deps(options: { failing?: string; approvalId?: string } = {}) {
  const delivered: string[] = [];
  const d: FailureNotifyDeps = {
    catalog: async () => exampleCatalog,
    lookupNames: async () => ({ windowName: "prod-monthly", ...(options.approvalId ? { approvalId: options.approvalId } : {}) }),
    deliver: async (channel: Channel) => {
      if (channel.name === options.failing) throw new Error(`${channel.name} answered 500`);
      delivered.push(channel.name);
    },
    claimFreezeNotice: async () => {
      throw new Error("no change freeze skip here");
    },
    log: () => undefined,
  };
  return { deps: d, delivered };
}

describe("a failure notification", () => {
  it("goes to every failure channel of the organization", async () => {
    const { deps: d, delivered } = deps();
    expect(await notifyFailure(windowFailed, d)).toEqual({ channels: 2 });
    expect(delivered).toEqual(["platform-teams", "patching-mail"]);
  });

  it("fails as FailureNotificationNotDelivered, naming the channel, when one channel failed, after trying the others", async () => {
    const { deps: d, delivered } = deps({ failing: "platform-teams" });
    const error = (await notifyFailure(windowFailed, d).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(FailureNotificationNotDelivered);
    expect(error.name).toBe("FailureNotificationNotDelivered");
    expect(error.message).toBe("failure notification not delivered to platform-teams: platform-teams answered 500");
    expect(delivered).toEqual(["patching-mail"]);
  });

  it("leaves patch commands of the approval workflow to the workflow", async () => {
    const { deps: d, delivered } = deps({ approvalId: "AAAAAAAAAAAAAAAAAAAAAA" });
    expect(await notifyFailure(windowFailed, d)).toEqual({ channels: 0 });
    expect(delivered).toEqual([]);
  });
});
