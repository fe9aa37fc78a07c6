import { DynamoDBClient, PutItemCommand, type PutItemCommandInput } from "@aws-sdk/client-dynamodb";
import { DescribeTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetAutomationExecutionCommand, SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { readerRoleArn } from "../../../contracts/fleet-catalog.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { exampleCatalog } from "../../../test/support/catalog.js";
import { failureLookupClients } from "../shared/member-access.js";
import { dynamoFreezeNoticeClaim } from "./freeze-notices.js";
import { lookupNames } from "./lookup.js";
import { notifyFailure, type FailureNotifyDeps } from "./notify.js";

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);
const dynamo = mockClient(DynamoDBClient);

const prod = exampleCatalog.environments.find((e) => e.name === "prod")!.accounts[0]!;
const region = prod.regions[0]!;
const now = new Date("2026-12-24T03:01:00Z");

/** The freeze skip of one instance's install runbook execution, as forwarded to the central bus. */
const skipEvent = (automationExecutionId: string) => ({
  "detail-type": "EC2 Automation Step Status-change Notification",
  source: "aws.ssm",
  account: prod.id,
  region,
  time: "2026-12-24T03:01:00Z",
  resources: [],
  detail: { ExecutionId: automationExecutionId, Definition: "patchline-install-prod-monthly", Status: "Success", StepName: "SkipPatchingDuringChangeFreeze" },
});

/** Each Automation execution names its instance and window execution (the parameters the window task passes). */
const executions: Record<string, { instance: string; windowExecution: string }> = {
  "aaaaaaaa-0000-4000-8000-000000000001": { instance: "i-0000000000000000a", windowExecution: "11111111-1111-1111-1111-111111111111" },
  "aaaaaaaa-0000-4000-8000-000000000002": { instance: "i-0000000000000000b", windowExecution: "11111111-1111-1111-1111-111111111111" },
  "aaaaaaaa-0000-4000-8000-000000000003": { instance: "i-0000000000000000c", windowExecution: "22222222-2222-2222-2222-222222222222" },
};

/** A table that applies the claim's condition as DynamoDB does (attribute_not_exists(pk) OR automationExecutionId = :mine). */
function conditionalTable() {
  const items = new Map<string, string>();
  dynamo.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    const pk = input.Item!.pk!.S!;
    const mine = input.ExpressionAttributeValues![":mine"]!.S!;
    const owner = items.get(pk);
    if (owner !== undefined && owner !== mine) throw Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" });
    items.set(pk, input.Item!.automationExecutionId!.S!);
    return {};
  });
}

function wired() {
  const titles: string[] = [];
  const logged: [string, Record<string, unknown>][] = [];
  const deps: FailureNotifyDeps = {
    catalog: async () => exampleCatalog,
    lookupNames: (fleet, failure) =>
      lookupNames(
        { sts: new STSClient({ region }), clientsFor: failureLookupClients, roleArn: readerRoleArn(fleet, failure.accountId) },
        failure,
        fleet.ownerTagKey,
      ),
    deliver: async (channel, document) => void titles.push(`${channel.name}: ${document.title}`),
    claimFreezeNotice: dynamoFreezeNoticeClaim(new DynamoDBClient({ region }), "patchline-patch-notices", () => now),
    log: (message, details) => void logged.push([message, details]),
  };
  return { deps, titles, logged };
}

beforeEach(() => {
  for (const m of [ssm, ec2, sts, dynamo]) m.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date() } });
  ssm.on(GetAutomationExecutionCommand).callsFake(({ AutomationExecutionId }: { AutomationExecutionId: string }) => {
    const e = executions[AutomationExecutionId]!;
    return { AutomationExecution: { Parameters: { InstanceId: [e.instance], WindowExecutionId: [e.windowExecution] } } };
  });
  ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
  conditionalTable();
});

describe("change freeze skips: one message per window execution, account and region", () => {
  it("two skips of the same window execution: one message, the second dropped and logged", async () => {
    const { deps, titles, logged } = wired();
    const channels = exampleCatalog.failureChannels.length;
    expect(await notifyFailure(skipEvent("aaaaaaaa-0000-4000-8000-000000000001"), deps)).toEqual({ channels });
    expect(await notifyFailure(skipEvent("aaaaaaaa-0000-4000-8000-000000000002"), deps)).toEqual({ channels: 0 });
    expect(titles).toHaveLength(channels);
    expect(titles[0]).toContain(
      `Not patched during a change freeze: window prod-monthly in ${prod.name} (${prod.id})/${region} (window execution 11111111-1111-1111-1111-111111111111): its instances are patched by the first run after the freeze`,
    );
    expect(logged.map(([message]) => message)).toContain("change freeze skip of a window execution whose message was sent: dropped");
    expect(logged.find(([m]) => m.includes("dropped"))![1]).toMatchObject({
      instanceId: "i-0000000000000000b",
      windowExecutionId: "11111111-1111-1111-1111-111111111111",
    });
  });

  it("different window executions: two messages", async () => {
    const { deps, titles } = wired();
    await notifyFailure(skipEvent("aaaaaaaa-0000-4000-8000-000000000001"), deps);
    await notifyFailure(skipEvent("aaaaaaaa-0000-4000-8000-000000000003"), deps);
    expect(titles.filter((t) => t.includes("11111111-1111-1111-1111-111111111111"))).toHaveLength(exampleCatalog.failureChannels.length);
    expect(titles.filter((t) => t.includes("22222222-2222-2222-2222-222222222222"))).toHaveLength(exampleCatalog.failureChannels.length);
  });

  it("a retried delivery of the first skip sends again (the same Automation execution may re-claim)", async () => {
    const { deps, titles } = wired();
    await notifyFailure(skipEvent("aaaaaaaa-0000-4000-8000-000000000001"), deps);
    await notifyFailure(skipEvent("aaaaaaaa-0000-4000-8000-000000000001"), deps);
    expect(titles).toHaveLength(2 * exampleCatalog.failureChannels.length);
  });

  it("claims with a conditional put in the notices ledger, kept 7 days by its TTL attribute", async () => {
    const claim = dynamoFreezeNoticeClaim(new DynamoDBClient({ region }), "patchline-patch-notices", () => now);
    const skip = {
      windowExecutionId: "11111111-1111-1111-1111-111111111111",
      accountId: prod.id,
      region,
      automationExecutionId: "aaaaaaaa-0000-4000-8000-000000000001",
    };
    expect(await claim(skip)).toBe(true);
    const request = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    const at = now.getTime() / 1000;
    expect(request).toEqual({
      TableName: "patchline-patch-notices",
      Item: {
        pk: { S: `freeze#11111111-1111-1111-1111-111111111111#${prod.id}#${region}` },
        sk: { S: "#freeze" },
        automationExecutionId: { S: "aaaaaaaa-0000-4000-8000-000000000001" },
        toldAt: { N: String(at) },
        expiresAt: { N: String(at + 7 * 86_400) },
      },
      ConditionExpression: "attribute_not_exists(pk) OR automationExecutionId = :mine",
      ExpressionAttributeValues: { ":mine": { S: "aaaaaaaa-0000-4000-8000-000000000001" } },
    });
    expect(requestProblems("dynamodb", "PutItem", request)).toEqual([]);
    // another execution of the same window execution: "already told", not an error
    expect(await claim({ ...skip, automationExecutionId: "aaaaaaaa-0000-4000-8000-000000000002" })).toBe(false);
  });

  it("other errors of the table fail the invocation (Lambda retries it)", async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" }));
    const claim = dynamoFreezeNoticeClaim(new DynamoDBClient({ region }), "t", () => now);
    await expect(claim({ windowExecutionId: "w", accountId: prod.id, region, automationExecutionId: "a" })).rejects.toThrow("throttled");
  });
});
