import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { IncomingWebhookSendArguments } from "@slack/webhook";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { approvalRecord, HmacLinkSigner, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { startWebhookServer, type WebhookServer } from "../../../test/support/webhook-server.js";
import { ChannelNotConfigured, type Channel } from "../../shared/chat/deliver.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import type { TeamsMessage } from "../../shared/chat/teams-format.js";
import { approvalPost, type ApprovalChat } from "./chat.js";
import { ask, type RequestDeps } from "./request.js";

/**
 * The request function's ask with chat channels: the real documents, formats and delivery (the
 * digest's, with its retries) to local webhooks; SNS and SES mocked.
 */
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-secret-task-token";
const slack: Channel = { name: "approvals-slack", type: "slack", destination: "patchline/chat/approvals-slack" };
const teams: Channel = { name: "approvals-teams", type: "teams", destination: "patchline/chat/approvals-teams" };

let store: InMemoryApprovalStore;
let log: ReturnType<typeof recordingLog>;
let slackHook: WebhookServer;
let teamsHook: WebhookServer;
let webhookUrls: Record<string, () => Promise<string>>;
const clock = new Date("2027-03-03T21:40:00.000Z");

function chat(): ApprovalChat {
  const delivery = {
    sns: new SNSClient({ region: "us-east-1" }),
    webhookUrl: (secretId: string) => webhookUrls[secretId]!(),
    fetch: retryingFetch(fetch, { sleep: async () => {} }),
  };
  return {
    channelsOf: (environment) => (environment === "prod" ? [slack, teams] : []),
    post: approvalPost(delivery),
  };
}

function deps(overrides: Partial<RequestDeps> = {}): RequestDeps {
  return {
    store,
    signer: new HmacLinkSigner(),
    sns: new SNSClient({ region: "us-east-1" }),
    sfn: new SFNClient({ region: "us-east-1" }),
    approvalsTopicArn: "arn:aws:sns:us-east-1:100000000001:patchline-approvals",
    apiUrl: "https://abc123.execute-api.us-east-1.amazonaws.com",
    ownerTagKey: "Owner",
    linkValiditySeconds: 72 * 3600,
    recordRetentionDays: 400,
    email: { client: new SESv2Client({ region: "us-east-1" }), from: "patchline@example.com", ownerDomains: ["example.com"] },
    chat: chat(),
    now: () => clock,
    log,
    ...overrides,
  };
}

beforeEach(async () => {
  sns.reset();
  ses.reset();
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  ses.on(SendEmailCommand).resolves({ MessageId: "e-1" });
  store = new InMemoryApprovalStore();
  await store.create(approvalRecord(), { lockedUntil: 1_900_000_000 }, clock);
  log = recordingLog();
  slackHook = await startWebhookServer();
  teamsHook = await startWebhookServer([], { status: 202 });
  webhookUrls = { [slack.destination]: async () => slackHook.url, [teams.destination]: async () => teamsHook.url };
});
afterEach(async () => {
  await Promise.all([slackHook.close(), teamsHook.close()]);
});

/** The link the approvers' mail carries. */
const mailedLink = () => /Review and decide: (\S+)/.exec(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!)![1]!;
const slackButtonUrl = () =>
  (JSON.parse(slackHook.requests[0]!.body) as IncomingWebhookSendArguments)
    .blocks!.flatMap((b) => (b.type === "actions" ? ((b as { elements: { url?: string }[] }).elements ?? []) : []))
    .map((e) => e.url);
const teamsActionUrl = () => (JSON.parse(teamsHook.requests[0]!.body) as TeamsMessage).attachments[0].content.actions!.map((a) => (a as { url?: string }).url);

describe("ask with approval channels", () => {
  it("posts the request to the environment's channels with the very link the mail carries, and logs where it went", async () => {
    await expect(ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps())).resolves.toEqual({ sent: true });
    expect(slackButtonUrl()).toEqual([mailedLink()]);
    expect(teamsActionUrl()).toEqual([mailedLink()]);
    expect(log.lines).toContainEqual([
      "approval requested",
      expect.objectContaining({ approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", chatPosted: ["approvals-slack", "approvals-teams"], chatFailed: [] }),
    ]);
    // the task token stays in the table; the signature of the link in no log line
    for (const hook of [slackHook, teamsHook]) expect(hook.requests[0]!.body).not.toContain(TOKEN);
    const signature = new URL(mailedLink()).searchParams.get("s")!;
    expect(JSON.stringify(log.lines)).not.toContain(signature);
  });

  it("posts each reminder with its fresh link, saying which reminder it is", async () => {
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 2, taskToken: TOKEN }, deps());
    const slackPayload = JSON.parse(slackHook.requests[0]!.body) as IncomingWebhookSendArguments;
    expect(slackPayload.text).toBe("Reminder 2 of 3: approve patching of web-1 (i-0abc123def4567890) in prod");
    expect(slackButtonUrl()).toEqual([mailedLink()]);
  });

  it("still mails the approvers and the owner when every channel fails, and records a warning per channel", async () => {
    await slackHook.close();
    slackHook = await startWebhookServer([], { status: 503, body: "unavailable" });
    webhookUrls[slack.destination] = async () => slackHook.url;
    webhookUrls[teams.destination] = async () => {
      throw new ChannelNotConfigured("secret patchline/chat/approvals-teams holds no webhook URL yet");
    };
    await expect(ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps())).resolves.toEqual({ sent: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, { Destination: { ToAddresses: ["alice@example.com"] } });
    // the digest's retries: five attempts before giving up
    expect(slackHook.requests).toHaveLength(5);
    const warnings = log.lines.filter((l) => l[0] === "approval not posted to chat channel").map((l) => l[1]);
    expect(warnings).toEqual([
      expect.objectContaining({ channel: "approvals-slack", error: "ChannelDeliveryFailed: Slack channel approvals-slack: HTTP 503: unavailable" }),
      expect.objectContaining({ channel: "approvals-teams", error: "ChannelNotConfigured: secret patchline/chat/approvals-teams holds no webhook URL yet" }),
    ]);
    expect(log.lines).toContainEqual(["approval requested", expect.objectContaining({ chatPosted: [], chatFailed: ["approvals-slack", "approvals-teams"] })]);
  });

  it("sends the e-mail before posting to chat, so a slow channel delays no approver's mail", async () => {
    const order: string[] = [];
    sns.on(PublishCommand).callsFake(() => {
      order.push("topic");
      return { MessageId: "m-1" };
    });
    ses.on(SendEmailCommand).callsFake(() => {
      order.push("owner");
      return { MessageId: "e-1" };
    });
    const posting = chat();
    await ask(
      { action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN },
      deps({
        chat: {
          ...posting,
          post: (channel, document) => {
            order.push(channel.name);
            return posting.post(channel, document);
          },
        },
      }),
    );
    expect(order).toEqual(["topic", "owner", "approvals-slack", "approvals-teams"]);
  });

  it("posts nothing for an environment without channels", async () => {
    store.approvals.set("Yq3Yw8n1Zq5d0xJ2r6u9Aw", approvalRecord({ environment: "dev" }));
    await ask({ action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN }, deps());
    expect(slackHook.requests).toEqual([]);
    expect(teamsHook.requests).toEqual([]);
    expect(log.lines).toContainEqual(["approval requested", expect.not.objectContaining({ chatPosted: expect.anything() })]);
  });
});
