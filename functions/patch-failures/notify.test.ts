import { describe, expect, it } from "vitest";
import { exampleCatalog } from "../../test/support/catalog.js";
import type { Channel } from "../lib/chat/deliver.js";
import { FailureNotificationNotDelivered, notifyFailure, type FailureNotifyDeps } from "./notify.js";

/** A maintenance window execution that failed in prod's web account, as EventBridge delivers it. */
const windowFailed = {
  version: "0",
  id: "e1",
  "detail-type": "Maintenance Window Execution State-change Notification",
  source: "aws.ssm",
  account: "400000000002",
  time: "2027-02-04T04:02:00Z",
  region: "eu-west-1",
  resources: ["arn:aws:ssm:eu-west-1:400000000002:maintenancewindow/mw-0c50858d01EXAMPLE"],
  detail: {
    "start-time": "2027-02-04T03:00:00Z",
    "end-time": "2027-02-04T04:02:00Z",
    "window-id": "mw-0c50858d01EXAMPLE",
    "window-execution-id": "14bea65d-5ccc-462d-a2f3-e99c8EXAMPLE",
    status: "FAILED",
  },
};

function deps(options: { failing?: string; approvalId?: string } = {}) {
  const delivered: string[] = [];
  const d: FailureNotifyDeps = {
    catalog: async () => exampleCatalog,
    lookupNames: async () => ({ windowName: "prod-monthly", ...(options.approvalId ? { approvalId: options.approvalId } : {}) }),
    deliver: async (channel: Channel) => {
      if (channel.name === options.failing) throw new Error(`${channel.name} answered 500`);
      delivered.push(channel.name);
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
