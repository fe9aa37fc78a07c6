import { DescribeTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetMaintenanceWindowCommand, ListCommandsCommand, SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { failureLookupClients } from "../shared/member-access.js";
import { parseInput } from "../../shared/input.js";
import { failureEventSchema, failureOf } from "./events.js";
import { failureDocument } from "./format.js";
import { lookupNames } from "./lookup.js";
import { windowExecutionFailed } from "../../../test/fixtures/ssm-events.js";
import { exampleCatalog } from "../../../test/support/catalog.js";
import { readerRoleArn } from "../../../contracts/fleet-catalog.js";
import { notifyFailure, type FailureNotifyDeps } from "./notify.js";

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);

// shapes as the SSM event reference documents them, as forwarded to the central bus
const windowFailed = windowExecutionFailed;
const commandTimedOut = {
  version: "0",
  id: "e2",
  "detail-type": "EC2 Command Invocation Status-change Notification",
  source: "aws.ssm",
  account: "400000000002",
  time: "2027-02-04T04:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:400000000002:instance/i-0abcdef1234567890"],
  detail: {
    "command-id": "ea7bd0dd-eb1f-4ee0-a8d1-01a8bEXAMPLE",
    "document-name": "AWS-RunPatchBaselineWithHooks",
    "instance-id": "i-0abcdef1234567890",
    "requested-date-time": "2027-02-04T03:00:00Z",
    status: "TimedOut",
  },
};

const deps = () => ({
  sts: new STSClient({ region: "us-east-1" }),
  clientsFor: failureLookupClients,
  roleArn: "arn:aws:iam::400000000002:role/patchline-compliance-reader",
});
const parse = (e: unknown) => failureOf(parseInput(failureEventSchema, e));

beforeEach(() => {
  for (const m of [ssm, ec2, sts]) m.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date() } });
});

describe("failure notifications", () => {
  it("name a failed window with its name, account, environment and region", async () => {
    ssm.on(GetMaintenanceWindowCommand, { WindowId: "mw-0c50858d01EXAMPLE" }).resolves({ Name: "prod-monthly" });
    const failure = parse(windowFailed);
    const doc = failureDocument(failure, await lookupNames(deps(), failure, "Owner"), { environment: "prod", accountName: "web-prod" });
    expect(doc.title).toBe("Maintenance window prod-monthly FAILED: prod / web-prod (400000000002) / eu-west-1");
    expect(doc.lines.map((l) => l.text)).toEqual([
      "environment: prod",
      "account: web-prod (400000000002)",
      "region: eu-west-1",
      "window: prod-monthly (mw-0c50858d01EXAMPLE)",
      "window execution: 14bea65d-5ccc-462d-a2f3-e99c8EXAMPLE",
      "status: FAILED",
      "at: 2027-02-04T04:02:00Z",
    ]);
  });

  it("name the window, instance and owner of a patch command from its comment and tags", async () => {
    ssm.on(ListCommandsCommand, { CommandId: "ea7bd0dd-eb1f-4ee0-a8d1-01a8bEXAMPLE" }).resolves({ Commands: [{ Comment: "patchline prod-monthly install" }] });
    ec2.on(DescribeTagsCommand).resolves({
      Tags: [
        { Key: "Name", Value: "web-1" },
        { Key: "Owner", Value: "web@example.com" },
      ],
    });
    const failure = parse(commandTimedOut);
    const doc = failureDocument(failure, await lookupNames(deps(), failure, "Owner"), { environment: "prod", accountName: "web-prod" });
    expect(doc.title).toBe('Patch command TimedOut on i-0abcdef1234567890 "web-1": prod / web-prod (400000000002) / us-east-1');
    expect(doc.lines.map((l) => l.text)).toContain("window: prod-monthly");
    expect(doc.lines.map((l) => l.text)).toContain("window task: install");
    expect(doc.lines.map((l) => l.text)).toContain("owner: web@example.com");
    expect(ec2.commandCalls(DescribeTagsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: "resource-id", Values: ["i-0abcdef1234567890"] },
      { Name: "key", Values: ["Name", "Owner"] },
    ]);
  });

  it("still go out, with ids, when the names cannot be looked up", async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    const failure = parse(commandTimedOut);
    const doc = failureDocument(failure, await lookupNames(deps(), failure, "Owner"), {});
    expect(doc.title).toBe("Patch command TimedOut on i-0abcdef1234567890: unknown environment / account (400000000002) / us-east-1");
    expect(doc.lines.map((l) => l.text)).toContain("note: names could not be looked up (AccessDenied)");
  });

  it("report a failed compliance run", () => {
    const failure = parse({
      "detail-type": "Step Functions Execution Status Change",
      source: "aws.states",
      account: "100000000001",
      region: "us-east-1",
      time: "2027-02-04T07:05:00Z",
      resources: [],
      detail: { executionArn: "arn:aws:states:us-east-1:100000000001:execution:patchline-compliance:x", status: "TIMED_OUT" },
    });
    expect(failureDocument(failure, {}, {}).title).toBe("Compliance run TIMED_OUT");
  });

  it("refuse an event they do not handle", () => {
    expect(() => parse({ ...windowFailed, "detail-type": "Maintenance Window State-change Notification" })).toThrow(
      'no failure notification for detail-type "Maintenance Window State-change Notification"',
    );
  });

  it("recognize a patch command of the approval workflow, which reports its own failures", async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [{ Comment: "patchline-approval Yq3Yw8n1Zq5d0xJ2r6u9Aw" }] });
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    const names = await lookupNames(deps(), parse(commandTimedOut), "Owner");
    expect(names).toMatchObject({ approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw" });
    expect(names.windowName).toBeUndefined();
  });
});

describe("failure events from outside the fleet catalog", () => {
  /** The handler's wiring (handler.ts) with the real lookup through a mocked STS, and deliveries recorded. */
  function wired() {
    const delivered: string[] = [];
    const logged: [string, Record<string, unknown>][] = [];
    const notifyDeps: FailureNotifyDeps = {
      catalog: async () => exampleCatalog,
      lookupNames: (fleet, failure) =>
        lookupNames(
          { sts: new STSClient({ region: "us-east-1" }), clientsFor: failureLookupClients, roleArn: readerRoleArn(fleet, failure.accountId) },
          failure,
          fleet.ownerTagKey,
        ),
      deliver: async (channel) => void delivered.push(channel.name),
      claimFreezeNotice: async () => {
        throw new Error("no change freeze skip here");
      },
      log: (message, details) => void logged.push([message, details]),
    };
    return { notifyDeps, delivered, logged };
  }

  it("are dropped before any role is assumed, and counted: an account of no environment", async () => {
    const { notifyDeps, delivered, logged } = wired();
    expect(await notifyFailure({ ...commandTimedOut, account: "999999999999" }, notifyDeps)).toEqual({ channels: 0, dropped: "account-not-in-catalog" });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(delivered).toEqual([]);
    expect(logged).toEqual([
      [
        "failure event from an account or region not in the fleet catalog: dropped",
        { dropped: "account-not-in-catalog", kind: "patch-command", accountId: "999999999999", region: "us-east-1", status: "TimedOut" },
      ],
    ]);
  });

  it("are dropped from a catalog account in a region it is not configured in", async () => {
    const { notifyDeps, delivered } = wired();
    expect(await notifyFailure({ ...windowFailed, region: "ap-southeast-2" }, notifyDeps)).toEqual({ channels: 0, dropped: "account-not-in-catalog" });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(delivered).toEqual([]);
  });

  it("leaves a patch command of an emergency run to the run, which tells its channels per wave", async () => {
    ssm.on(ListCommandsCommand).resolves({ Commands: [{ Comment: "patchline-emergency prod-20270304T080000Z-1a2b" }] });
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    const { notifyDeps, delivered, logged } = wired();
    expect(await notifyFailure(commandTimedOut, notifyDeps)).toEqual({ channels: 0 });
    expect(delivered).toEqual([]);
    expect(logged.map(([message, details]) => [message, details.emergencyRunId])).toEqual([
      ["patch command of an emergency run: reported by the run", "prod-20270304T080000Z-1a2b"],
    ]);
  });

  it("unlike an event of a catalog account, which is looked up through its own reader role and reported", async () => {
    ssm.on(GetMaintenanceWindowCommand).resolves({ Name: "prod-monthly" });
    const { notifyDeps, delivered } = wired();
    expect(await notifyFailure(windowFailed, notifyDeps)).toEqual({ channels: 2 });
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([readerRoleArn(exampleCatalog, windowFailed.account)]);
    expect(delivered).toEqual(["platform-teams", "patching-mail"]);
  });
});
