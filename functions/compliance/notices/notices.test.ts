import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { exampleCatalog } from "../../../test/support/catalog.js";
import type { Channel } from "../../shared/chat/deliver.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import { windowInstanceClients } from "../shared/member-access.js";
import { dueNotices, localStart, noticeId, runAtOf, type DueNotice } from "./due.js";
import { dynamoLedger, type NoticeLedger } from "./ledger.js";
import { lookupWindowInstances } from "./lookup.js";
import { noticeDocument, type AccountInstances } from "./notice.js";
import { NoticesNotDelivered, runNotices } from "./run.js";
import { byOwner, sendDueNotices, type NoticeDeps } from "./send.js";

/**
 * The example's catalog without canary waves and change freezes: one run of each window for all its
 * environment's accounts (waves and freezes: "which notices are due, with waves and freezes").
 */
const catalog: FleetCatalog = {
  ...exampleCatalog,
  environments: exampleCatalog.environments.map((e) => ({ ...e, waves: [], freezes: [], accounts: e.accounts.map(({ wave: _wave, ...a }) => a) })),
};
// prod-monthly: first Wednesday 21:00 US/Central, 48 h lead. Feb 3 2027 21:00 CST = 2027-02-04T03:00Z
const prodRun = new Date("2027-02-04T03:00:00Z");
const prodDue = (now: Date) => dueNotices(catalog, now).filter((n) => n.environment.name === "prod");

describe("which notices are due", () => {
  it("is none before the lead time of the run begins", () => {
    expect(prodDue(new Date("2027-02-02T02:59:00Z"))).toEqual([]);
  });

  it("is the next run once its lead time has begun, until it starts", () => {
    for (const now of ["2027-02-02T03:00:00Z", "2027-02-03T20:00:00Z", "2027-02-04T02:59:59Z"]) {
      expect(prodDue(new Date(now)).map((n) => [n.window.name, n.runAt.toISOString()])).toEqual([["prod-monthly", prodRun.toISOString()]]);
    }
    expect(prodDue(new Date("2027-02-04T03:00:00Z"))).toEqual([]);
  });

  it("follows the window's time zone across daylight saving time", () => {
    // Mar 3 2027 is before the US change (Mar 14): 21:00 CST = 03:00Z; Apr 7 is CDT: 21:00 = 02:00Z
    expect(prodDue(new Date("2027-03-02T12:00:00Z")).map((n) => n.runAt.toISOString())).toEqual(["2027-03-04T03:00:00.000Z"]);
    expect(prodDue(new Date("2027-04-06T12:00:00Z")).map((n) => n.runAt.toISOString())).toEqual(["2027-04-08T02:00:00.000Z"]);
  });

  it("uses each environment's own lead time (dev: 24 h before Tuesday 10:00 Central)", () => {
    const dev = (now: string) => dueNotices(catalog, new Date(now)).filter((n) => n.environment.name === "dev");
    expect(dev("2027-02-08T15:59:00Z")).toEqual([]);
    expect(dev("2027-02-08T16:00:00Z").map((n) => n.runAt.toISOString())).toEqual(["2027-02-09T16:00:00.000Z"]);
  });

  it("is none for an environment without member accounts: its windows are deployed nowhere", () => {
    const withoutProdAccounts = { ...catalog, environments: catalog.environments.map((e) => (e.name === "prod" ? { ...e, accounts: [] } : e)) };
    expect(dueNotices(catalog, new Date("2027-02-03T00:00:00Z")).some((n) => n.environment.name === "prod")).toBe(true);
    expect(dueNotices(withoutProdAccounts, new Date("2027-02-03T00:00:00Z")).filter((n) => n.environment.name === "prod")).toEqual([]);
  });

  it("keys a notice by environment, window and run, and reads the run back from the key", () => {
    const notice = prodDue(new Date("2027-02-03T00:00:00Z"))[0]!;
    expect(noticeId(notice)).toBe("prod#prod-monthly#2027-02-04T03:00:00.000Z");
    expect(runAtOf(noticeId(notice))).toEqual(prodRun);
  });

  it("names the start in the window's zone", () => {
    expect(localStart(prodDue(new Date("2027-02-03T00:00:00Z"))[0]!.window, prodRun)).toBe("Wed 2027-02-03 21:00 US/Central");
  });
});

describe("which notices are due, with waves and freezes (the example: prod's canary, the year-end freeze)", () => {
  const exampleProd = (now: string) => dueNotices(exampleCatalog, new Date(now)).filter((n) => n.environment.name === "prod");
  const shown = (notices: DueNotice[]) => notices.map((n) => [n.wave?.name, n.accounts.map((a) => a.name), n.runAt.toISOString()]);

  it("announces each wave's run to its own accounts at its own time: the main wave 48 h after the canary", () => {
    // canary Wed Feb 3 21:00 CST; main Fri Feb 5 21:00 CST = 2027-02-06T03:00Z, due from 2027-02-04T03:00Z
    expect(shown(exampleProd("2027-02-03T00:00:00Z"))).toEqual([["canary", ["web-prod"], "2027-02-04T03:00:00.000Z"]]);
    expect(shown(exampleProd("2027-02-04T03:00:00Z"))).toEqual([["main", ["payments-prod", "data-prod"], "2027-02-06T03:00:00.000Z"]]);
    const [main] = exampleProd("2027-02-04T03:00:00Z");
    expect(noticeId(main!)).toBe("prod#prod-monthly#main#2027-02-06T03:00:00.000Z");
    expect(runAtOf(noticeId(main!))).toEqual(new Date("2027-02-06T03:00:00.000Z"));
    expect(noticeDocument(main!, [], new Date("2027-02-04T03:00:00Z"), "channel").title).toBe(
      "Patching in 48 h: prod window prod-monthly (wave main), Fri 2027-02-05 21:00 US/Central",
    );
  });

  it("keeps a wave's local time across daylight saving time: Friday 21:00 Central both sides of the change", () => {
    // Mar 3 2027 (CST) and Apr 7 2027 (CDT) are first Wednesdays; the main wave runs the Friday after
    expect(shown(exampleProd("2027-03-04T03:00:00Z")).map((n) => n[2])).toEqual(["2027-03-06T03:00:00.000Z"]);
    expect(shown(exampleProd("2027-04-08T02:00:00Z")).map((n) => n[2])).toEqual(["2027-04-10T02:00:00.000Z"]);
  });

  it("announces no run that starts inside a change freeze: the install runbook skips its instances", () => {
    // Dec 2 2026 21:00 CST is before the year-end freeze (Dec 18 - Jan 3): both waves announced
    expect(shown(exampleProd("2026-12-01T12:00:00Z")).map((n) => n[0])).toEqual(["canary"]);
    expect(shown(exampleProd("2026-12-03T12:00:00Z")).map((n) => n[0])).toEqual(["main"]);
    // the Jan 6 2027 runs are after it; a freeze over them silences both
    expect(exampleProd("2027-01-05T12:00:00Z").map((n) => n.wave?.name)).toEqual(["canary"]);
    const frozenJanuary: FleetCatalog = {
      ...exampleCatalog,
      environments: exampleCatalog.environments.map((e) =>
        e.name === "prod" ? { ...e, freezes: [...e.freezes, { start: "2027-01-06T00:00:00.000Z", end: "2027-01-10T00:00:00.000Z", reason: "launch" }] } : e,
      ),
    };
    expect(dueNotices(frozenJanuary, new Date("2027-01-05T12:00:00Z")).filter((n) => n.environment.name === "prod")).toEqual([]);
    expect(dueNotices(frozenJanuary, new Date("2027-01-07T12:00:00Z")).filter((n) => n.environment.name === "prod")).toEqual([]);
  });

  it("looks up only the wave's accounts", async () => {
    const ec2 = mockClient(EC2Client);
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date() } });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const [canary] = exampleProd("2027-02-03T00:00:00Z");
    const result = await lookupWindowInstances(
      { sts: new STSClient({ region: "us-east-1" }), clientsFor: windowInstanceClients, catalog: exampleCatalog },
      canary!,
    );
    expect(result.map((r) => `${r.accountName}/${r.region}`)).toEqual(["web-prod/us-east-1", "web-prod/eu-west-1"]);
    ec2.restore();
    sts.restore();
  });
});

/** A ledger in memory with the same semantics as the DynamoDB one. */
function memoryLedger(): NoticeLedger & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    isComplete: async (id) => items.get(`${id}|#notice`) === "complete",
    claim: async (id, d) => {
      if (items.has(`${id}|${d}`)) return false;
      items.set(`${id}|${d}`, "sending");
      return true;
    },
    markSent: async (id, d) => void items.set(`${id}|${d}`, "sent"),
    release: async (id, d) => void items.delete(`${id}|${d}`),
    markComplete: async (id) => void items.set(`${id}|#notice`, "complete"),
  };
}

const accounts: AccountInstances[] = [
  {
    accountId: "400000000002",
    accountName: "web-prod",
    region: "us-east-1",
    instances: [
      { instanceId: "i-0aaa", name: "web-1", owner: "web@example.com", state: "running" },
      { instanceId: "i-0bbb", name: "web-2", owner: "Team Web", state: "stopped" },
    ],
  },
  {
    accountId: "400000000003",
    accountName: "data-prod",
    region: "eu-west-1",
    instances: [{ instanceId: "i-0ccc", owner: "data@example.com", state: "running" }],
  },
  {
    accountId: "400000000001",
    accountName: "payments-prod",
    region: "us-east-1",
    instances: [],
    unreachable: "reading its instances: access denied (AccessDenied)",
  },
];

function deps(ledger: NoticeLedger, failing: Set<string> = new Set()) {
  const sent: { to: string; document: NoticeDocument }[] = [];
  let lookups = 0;
  const record = async (to: string, document: NoticeDocument) => {
    if (failing.has(to)) throw new Error(`${to} is down`);
    sent.push({ to, document });
  };
  const d: NoticeDeps = {
    ledger,
    lookup: async () => {
      lookups++;
      return accounts;
    },
    channelsOf: (notice) => notice.environment.noticeChannels.map((name): Channel => ({ name, type: "slack", destination: `patchline/chat/${name}` })),
    deliver: (channel, document) => record(channel.name, document),
    mailOwner: (address, document) => record(address, document),
    ownerDomains: ["example.com"],
    now: () => new Date("2027-02-02T12:00:00Z"),
  };
  return { deps: d, sent, lookups: () => lookups };
}

describe("sending notices", () => {
  const due = (): DueNotice[] => prodDue(new Date("2027-02-02T12:00:00Z"));

  it("goes to the environment's channels and to each owner with an e-mail address, with their own instances", async () => {
    const { deps: d, sent } = deps(memoryLedger());
    await sendDueNotices(d, due());
    expect(sent.map((s) => s.to)).toEqual(["app-teams-slack", "platform-teams", "web@example.com", "data@example.com"]);
    const channel = sent[0]!.document;
    expect(channel.title).toBe("Patching in 39 h: prod window prod-monthly, Wed 2027-02-03 21:00 US/Central");
    expect(channel.lines.map((l) => `${l.section}: ${l.text}`)).toEqual([
      'web-prod (400000000002) / us-east-1: i-0aaa "web-1" · owner web@example.com',
      'web-prod (400000000002) / us-east-1: i-0bbb "web-2" · owner Team Web · stopped',
      "data-prod (400000000003) / eu-west-1: i-0ccc · owner data@example.com",
      "payments-prod (400000000001) / us-east-1: could not be read: reading its instances: access denied (AccessDenied)",
    ]);
    expect(sent[2]!.document.lines.map((l) => l.text)).toEqual(['i-0aaa "web-1" · owner web@example.com']);
  });

  it("sends each notice once although the schedule runs again during the lead time, and stops looking once complete", async () => {
    const ledger = memoryLedger();
    const first = deps(ledger);
    await sendDueNotices(first.deps, due());
    const second = deps(ledger);
    await sendDueNotices(second.deps, due());
    expect(first.sent).toHaveLength(4);
    expect(second.sent).toEqual([]);
    expect(second.lookups()).toBe(0);
  });

  it("retries only the destination that failed, on the next run", async () => {
    const ledger = memoryLedger();
    const first = deps(ledger, new Set(["platform-teams"]));
    const outcome = await sendDueNotices(first.deps, due());
    expect(outcome[0]!.failed).toEqual(["channel:platform-teams: platform-teams is down"]);
    expect(await ledger.isComplete(noticeId(due()[0]!))).toBe(false);
    const second = deps(ledger);
    await sendDueNotices(second.deps, due());
    expect(second.sent.map((s) => s.to)).toEqual(["platform-teams"]);
    expect(await ledger.isComplete(noticeId(due()[0]!))).toBe(true);
  });

  it("groups an owner's instances across accounts", () => {
    expect([...byOwner(accounts, ["example.com"]).keys()]).toEqual(["web@example.com", "data@example.com"]);
  });

  it("gives owners outside the owner domains no share: they are not mailed", () => {
    const withOutsider: AccountInstances[] = [
      ...accounts,
      {
        accountId: "400000000002",
        accountName: "web-prod",
        region: "eu-west-1",
        instances: [{ instanceId: "i-0ddd", owner: "mallory@evil.example", state: "running" }],
      },
    ];
    expect([...byOwner(withOutsider, ["example.com"]).keys()]).toEqual(["web@example.com", "data@example.com"]);
    expect([...byOwner(accounts, ["*.example.com"]).keys()]).toEqual([]);
  });
});

describe("the DynamoDB ledger", () => {
  const dynamo = mockClient(DynamoDBClient);
  beforeEach(() => dynamo.reset());
  const ledger = () =>
    dynamoLedger(
      new DynamoDBClient({ region: "us-east-1" }),
      "patchline-patch-notices",
      () => new Date("2027-02-02T12:00:00Z"),
      () => prodRun,
    );

  it("claims a destination only when it is new or its claim has lapsed, and keeps records two weeks past the run", async () => {
    dynamo.on(PutItemCommand).resolves({});
    expect(await ledger().claim("prod#prod-monthly#2027-02-04T03:00:00.000Z", "channel:platform-teams")).toBe(true);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: "patchline-patch-notices",
      ConditionExpression: "attribute_not_exists(pk) OR (#status = :sending AND leaseUntil < :now)",
      Item: expect.objectContaining({
        status: { S: "sending" },
        leaseUntil: { N: String(Date.parse("2027-02-02T12:10:00Z") / 1000) },
        expiresAt: { N: String(prodRun.getTime() / 1000 + 14 * 86_400) },
      }),
    });
  });

  it("answers false when another run sent or is sending it", async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" }));
    expect(await ledger().claim("n", "channel:x")).toBe(false);
  });
});

describe("finding the instances a window patches", () => {
  const ec2 = mockClient(EC2Client);
  const sts = mockClient(STSClient);
  beforeEach(() => {
    ec2.reset();
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date() } });
  });

  it("selects by the window's patch groups and patch-on-schedule in one paginated sweep per account and region", async () => {
    ec2
      .on(DescribeInstancesCommand)
      .callsFake((input) =>
        input.NextToken
          ? { Reservations: [{ Instances: [{ InstanceId: "i-0002", State: { Name: "running" }, Tags: [{ Key: "Owner", Value: "o@example.com" }] }] }] }
          : { Reservations: [{ Instances: [{ InstanceId: "i-0001", State: { Name: "stopped" }, Tags: [{ Key: "Name", Value: "web-1" }] }] }], NextToken: "2" },
      );
    const notice = prodDue(new Date("2027-02-02T12:00:00Z"))[0]!;
    const result = await lookupWindowInstances({ sts: new STSClient({ region: "us-east-1" }), clientsFor: windowInstanceClients, catalog: catalog }, notice);
    expect(result).toHaveLength(6); // 3 accounts × 2 regions
    expect(result[0]!.instances).toEqual([
      { instanceId: "i-0001", name: "web-1", owner: undefined, state: "stopped" },
      { instanceId: "i-0002", name: undefined, owner: "o@example.com", state: "running" },
    ]);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(12); // two pages in each of 6 account-regions
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input).toMatchObject({
      Filters: [
        { Name: "tag:Patch Group", Values: ["web-prod", "app-prod", "data-prod"] },
        { Name: "tag:patch-policy", Values: ["patch-on-schedule"] },
        { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
      ],
      MaxResults: 1000,
    });
  });

  it("selects by the organization's patch group tag key", async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const notice = prodDue(new Date("2027-02-02T12:00:00Z"))[0]!;
    await lookupWindowInstances(
      { sts: new STSClient({ region: "us-east-1" }), clientsFor: windowInstanceClients, catalog: { ...catalog, patchGroupTagKey: "PatchGroup" } },
      notice,
    );
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters![0]).toEqual({
      Name: "tag:PatchGroup",
      Values: ["web-prod", "app-prod", "data-prod"],
    });
  });

  it("names an account it cannot read instead of failing the notice", async () => {
    sts
      .on(AssumeRoleCommand, { RoleArn: "arn:aws:iam::400000000003:role/patchline-compliance-reader" })
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDenied" }));
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const notice = prodDue(new Date("2027-02-02T12:00:00Z"))[0]!;
    const result = await lookupWindowInstances({ sts: new STSClient({ region: "us-east-1" }), clientsFor: windowInstanceClients, catalog: catalog }, notice);
    expect(result.filter((r) => r.unreachable).map((r) => [r.accountName, r.region, r.unreachable])).toEqual([
      ["data-prod", "us-east-1", "reading its instances: access denied (AccessDenied)"],
      ["data-prod", "eu-west-1", "reading its instances: access denied (AccessDenied)"],
    ]);
  });
});

describe("a notice run (every quarter of an hour)", () => {
  const at = new Date("2027-02-02T12:00:00Z");
  const run = (d: NoticeDeps) => runNotices({ catalog: async () => catalog, sending: () => d, log: () => undefined, now: () => at });

  it("sends what is due and counts it", async () => {
    const { deps: d, sent } = deps(memoryLedger());
    expect(await run(d)).toEqual({
      due: prodDue(at).length + dueNotices(catalog, at).filter((n) => n.environment.name !== "prod").length,
      sent: sent.length,
    });
    expect(sent.length).toBeGreaterThan(0);
  });

  it("fails as NoticesNotDelivered when a destination failed, and leaves that notice to the next run", async () => {
    const ledger = memoryLedger();
    const { deps: d } = deps(ledger, new Set(["platform-teams"]));
    const error = (await run(d).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(NoticesNotDelivered);
    expect(error.name).toBe("NoticesNotDelivered");
    expect(error.message).toBe(
      "1 notice destination(s) failed and will be retried: prod#prod-monthly#2027-02-04T03:00:00.000Z channel:platform-teams: platform-teams is down",
    );
    expect(await ledger.isComplete("prod#prod-monthly#2027-02-04T03:00:00.000Z")).toBe(false);

    const retry = deps(ledger);
    await run(retry.deps);
    expect(retry.sent.map((s) => s.to)).toEqual(["platform-teams"]);
  });
});
