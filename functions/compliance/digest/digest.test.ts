import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { IncomingWebhookSendArguments } from "@slack/webhook";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adaptiveCardProblems, cardTexts, teamsEnvelopeProblems } from "../../../test/support/adaptive-card.js";
import { findingsFor, okResult, sampleReport, targetOf } from "../../../test/support/compliance-fixtures.js";
import { zeroCounts, type TargetResult } from "../../../contracts/compliance-model.js";
import { buildReport } from "../shared/report.js";
import { startWebhookServer, type ScriptedResponse, type WebhookServer } from "../../../test/support/webhook-server.js";
import { deliver, webhookUrlFromSecret, type Channel, type DeliveryDeps } from "../../shared/chat/deliver.js";
import { retryingFetch } from "../../shared/chat/http-retry.js";
import { slackLimits } from "../../shared/chat/slack-format.js";
import type { TeamsMessage } from "../../shared/chat/teams-format.js";
import { DIGEST_LIST_LINES, digestDocument, digestSections } from "./digest.js";

const sns = mockClient(SNSClient);
const options = {
  instanceLimit: 200,
  reportLink: { label: "Open the report", url: "https://s3.console.aws.amazon.com/s3/object/patchline-reports?region=us-east-1&prefix=reports/r/report.html" },
  reportPath: "s3://patchline-reports/reports/r/report.html",
};

let server: WebhookServer | undefined;
const pauses: number[] = [];

async function serve(script: ScriptedResponse[] = [], fallback?: ScriptedResponse) {
  server = await startWebhookServer(script, fallback);
}

function deps(): DeliveryDeps {
  return {
    sns: new SNSClient({ region: "us-east-1" }),
    webhookUrl: async () => server!.url,
    fetch: retryingFetch(fetch, { sleep: async (ms) => void pauses.push(ms), random: () => 0.5 }),
  };
}

/** Instance ids named in a text, with repetitions. */
const instanceIds = (text: string) => text.match(/\bi-[0-9a-z]{8,}\b/g) ?? [];

function expectEachOnce(texts: readonly string[], ids: readonly string[]) {
  const seen = texts.flatMap(instanceIds);
  expect(seen.length).toBe(ids.length);
  expect(new Set(seen)).toEqual(new Set(ids));
}

beforeEach(() => {
  sns.reset();
  pauses.length = 0;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the digest document", () => {
  it("starts with totals per environment and account, then unreachable targets, then instances worst first", () => {
    const doc = digestDocument(sampleReport(10), options);
    expect(doc.title).toBe("Patch compliance: 25 non-compliant, 5 pending reboot, 4 not covered, 1 unreachable");
    expect([...new Set(doc.lines.map((l) => l.section))]).toEqual([digestSections.totals, digestSections.unreachable, digestSections.instances]);
    expect(doc.lines.slice(0, 4).map((l) => l.text)).toEqual([
      "dev: 95% compliant (115 of 120) · 5 non-compliant · 1 pending reboot · 1 with failed patches · 1 not covered",
      "  dev / payments-dev (200000000001): 95% compliant (115 of 120) · 5 non-compliant · 1 pending reboot · 1 with failed patches · 1 not covered",
      "prod: 96% compliant (630 of 650) · 20 non-compliant · 4 pending reboot · 2 with failed patches · 3 not covered",
      "  prod / web-prod (400000000002): 97% compliant (390 of 400) · 10 non-compliant · 2 pending reboot · 1 with failed patches · 2 not covered",
    ]);
    const firstInstance = doc.lines.find((l) => l.section === digestSections.instances)!.text;
    expect(firstInstance).toMatch(/^i-\S+ "application-server-with-a-rather-long-name-\d+" · (prod|dev) \/ .* · CRITICAL: 2 critical, 3 security, \d+ missing/);
  });

  it("counts the instances beyond the limit in a closing line that points to the report", () => {
    const doc = digestDocument(sampleReport(100), { ...options, instanceLimit: 200 });
    const instances = doc.lines.filter((l) => l.section === digestSections.instances);
    expect(instances).toHaveLength(201);
    expect(instances.at(-1)!.text).toBe(
      "… and 50 more instances in the report (s3://patchline-reports/reports/r/report.html): the worst first, every one in its findings CSV",
    );
  });
});

describe("the digest of an organization of 10,000 accounts", () => {
  // 10,000 accounts in 3 regions: 300 with a non-compliant instance, 120 with a region unreachable, 80 with a warning
  const results: TargetResult[] = [];
  for (let a = 0; a < 10_000; a++) {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2"]) {
      const target = targetOf(a % 2 === 0 ? "prod" : "dev", String(300_000_000_000 + a), `app${a}`, region);
      if (a % 50 === 7 && region === "eu-west-1") {
        results.push({
          target,
          status: "unreachable",
          reason: "the collector failed (States.Timeout)",
          collectedAt: "t",
          counts: zeroCounts,
          findings: [],
          warnings: [],
        });
        continue;
      }
      const result = okResult(target, a % 100 < 3 && region === "us-east-1" ? findingsFor(target, 1 + (a % 5)) : [], 10);
      results.push(a % 125 === 3 && region === "us-east-1" ? { ...result, warnings: ["AWS Config is not recording in this region"] } : result);
    }
  }
  const report = buildReport({ runId: "r", startedAt: "2027-01-11T07:00:00Z", generatedAt: "g", warnings: [] }, results, ["dev", "prod"]);
  const doc = digestDocument(report, { ...options, instanceLimit: 100 });
  const section = (name: string) => doc.lines.filter((l) => l.section === name).map((l) => l.text);

  it("lists the accounts most in need, the first unreachable regions and warnings, and counts the rest with a pointer to the report", () => {
    const totals = section(digestSections.totals);
    // two environment lines, 50 accounts, one closing line
    expect(totals).toHaveLength(2 + DIGEST_LIST_LINES + 1);
    // the 100 accounts with 3 non-compliant instances come before those with fewer, and before accounts only partly unreachable
    const accountLines = totals.filter((t) => t.startsWith("  "));
    expect(accountLines).toHaveLength(DIGEST_LIST_LINES);
    expect(accountLines.every((t) => t.includes(" · 3 non-compliant"))).toBe(true);
    expect(totals.at(-1)).toBe(`… and 9,950 more accounts, with fewer findings or none, in the report (${options.reportPath})`);
    expect(section(digestSections.unreachable)).toHaveLength(DIGEST_LIST_LINES + 1);
    expect(section(digestSections.unreachable).at(-1)).toBe(`… and 150 more unreachable account-regions in the report (${options.reportPath})`);
    expect(section(digestSections.warnings).at(-1)).toBe(`… and 30 more in the report (${options.reportPath})`);
    const instances = section(digestSections.instances);
    expect(instances).toHaveLength(101);
    expect(instances.at(-1)).toBe(
      `… and ${report.findingsTotal - 100} more instances in the report (${options.reportPath}): the worst first, every one in its findings CSV`,
    );
  });

  it("stays a few messages in Slack", async () => {
    await serve();
    const slack: Channel = { name: "security-slack", type: "slack", destination: "patchline/chat/security-slack" };
    const result = await deliver(slack, doc, deps());
    expect(result.messages).toBeLessThanOrEqual(10);
  });
});

describe("Slack (incoming webhook through @slack/webhook, Block Kit)", () => {
  const slack: Channel = { name: "security-slack", type: "slack", destination: "patchline/chat/security-slack" };

  it("splits a long digest into messages within Slack's block limits, every instance exactly once, totals first", async () => {
    await serve();
    const report = sampleReport(80); // 200 instances, long lines
    const result = await deliver(slack, digestDocument(report, options), deps());
    expect(result.messages).toBeGreaterThan(1);
    expect(server!.requests).toHaveLength(result.messages);
    const payloads = server!.requests.map((r) => JSON.parse(r.body) as IncomingWebhookSendArguments);
    for (const payload of payloads) {
      const blocks = payload.blocks!;
      expect(blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
      expect(blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });
      for (const block of blocks.filter((b) => b.type === "section")) expect((block as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3000);
      expect(JSON.stringify(blocks).length).toBeLessThan(40_000);
    }
    expect((payloads[0]!.blocks![2] as { text: { text: string } }).text.text.startsWith(`*${digestSections.totals}*`)).toBe(true);
    expect(payloads.map((p) => (p.blocks![0] as { text: { text: string } }).text.text)).toEqual(
      payloads.map((_, i) => `Patch compliance: 200 non-compliant, 40 pending reboot, 22 not covered, 1 unreachable (${i + 1}/${payloads.length})`),
    );
    expectEachOnce(
      payloads.flatMap((p) => p.blocks!.map((b) => (b as { text?: { text: string } }).text?.text ?? "")),
      report.findings.map((f) => f.instanceId),
    );
  });

  it("posts JSON to the webhook URL from the channel's secret", async () => {
    await serve();
    await deliver(slack, digestDocument(sampleReport(2), options), deps());
    expect(server!.requests[0]).toMatchObject({ method: "POST", path: "/hooks/T000/B000/secret-path" });
    expect(server!.requests[0]!.headers["content-type"]).toBe("application/json");
  });

  it("waits as long as Retry-After says after a 429, then delivers the message once", async () => {
    await serve([{ status: 429, headers: { "Retry-After": "2" }, body: "rate_limited" }]);
    const result = await deliver(slack, digestDocument(sampleReport(2), options), deps());
    expect(result.messages).toBe(1);
    expect(server!.requests).toHaveLength(2);
    expect(server!.requests[1]!.body).toBe(server!.requests[0]!.body);
    expect(pauses).toEqual([2000]);
  });

  it("retries 5xx with backoff and gives up with the status after five attempts", async () => {
    await serve([], { status: 503, body: "unavailable" });
    await expect(deliver(slack, digestDocument(sampleReport(2), options), deps())).rejects.toThrow("Slack channel security-slack: HTTP 503: unavailable");
    expect(server!.requests).toHaveLength(5);
    expect(pauses).toEqual([500, 1000, 2000, 4000]);
  });

  it("gives each attempt its own deadline: a Retry-After longer than one attempt's timeout still ends in delivery", async () => {
    await serve([{ status: 429, headers: { "Retry-After": "1" }, body: "rate_limited" }]);
    // real pauses, and attempts that may take 500 ms: one shared deadline would run out during the pause
    const realDeps = { ...deps(), fetch: retryingFetch(fetch, { attemptTimeoutMs: 500 }) };
    const slack: Channel = { name: "security-slack", type: "slack", destination: "patchline/chat/security-slack" };
    await expect(deliver(slack, digestDocument(sampleReport(2), options), realDeps)).resolves.toEqual({ channel: "security-slack", messages: 1 });
    expect(server!.requests).toHaveLength(2);
  });

  it("does not retry a request Slack rejects", async () => {
    await serve([{ status: 400, body: "invalid_blocks" }]);
    await expect(deliver(slack, digestDocument(sampleReport(2), options), deps())).rejects.toThrow("Slack channel security-slack: HTTP 400: invalid_blocks");
    expect(server!.requests).toHaveLength(1);
  });
});

describe("Teams (Workflows webhook, Adaptive Card)", () => {
  const teams: Channel = { name: "platform-teams", type: "teams", destination: "patchline/chat/platform-teams" };

  it("sends valid Adaptive Card messages within the size limit, every instance exactly once", async () => {
    await serve([], { status: 202 });
    const report = sampleReport(80);
    const result = await deliver(teams, digestDocument(report, options), deps());
    expect(result.messages).toBeGreaterThan(1);
    const messages = server!.requests.map((r) => JSON.parse(r.body) as TeamsMessage);
    for (const [i, message] of messages.entries()) {
      expect(teamsEnvelopeProblems(message)).toEqual([]);
      expect(adaptiveCardProblems(message.attachments[0].content)).toEqual([]);
      expect(Buffer.byteLength(server!.requests[i]!.body)).toBeLessThanOrEqual(20_000);
      expect(message.attachments[0].content.actions).toEqual([
        { type: "Action.OpenUrl", id: "open-link", title: "Open the report", url: options.reportLink.url },
      ]);
    }
    expectEachOnce(
      messages.flatMap((m) => cardTexts(m.attachments[0].content)),
      report.findings.map((f) => f.instanceId),
    );
  });

  it("would catch a card the Adaptive Cards parser refuses", () => {
    expect(adaptiveCardProblems({ type: "AdaptiveCard", version: "1.4", body: [{ type: "TextBlock", text: "x", size: "huge" }, { type: "Chart" }] })).toEqual([
      'InvalidPropertyValue: Invalid value "huge" for property "size".',
      'UnknownElementType: Unknown element type "Chart". Fallback will be used if present.',
    ]);
  });

  it("retries a 429 and delivers once", async () => {
    await serve([{ status: 429, headers: { "Retry-After": "1" } }], { status: 202 });
    expect((await deliver(teams, digestDocument(sampleReport(2), options), deps())).messages).toBe(1);
    expect(server!.requests).toHaveLength(2);
    expect(pauses).toEqual([1000]);
  });
});

describe("e-mail (SNS)", () => {
  const mail: Channel = { name: "patching-mail", type: "email", destination: "arn:aws:sns:us-east-1:100000000001:patchline-channel-patching-mail" };

  it("publishes the digest with an SNS-safe subject, every instance exactly once", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m" });
    const report = sampleReport(80);
    await deliver(mail, digestDocument(report, options), deps());
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls[0]).toMatchObject({
      TopicArn: mail.destination,
      Subject: "Patch compliance: 200 non-compliant, 40 pending reboot, 22 not covered, 1 unreachable",
    });
    for (const call of calls) expect(call.Subject!.length).toBeLessThan(100);
    expect(calls[0]!.Message).toContain("Open the report: https://s3.console.aws.amazon.com/");
    expectEachOnce(
      calls.map((c) => c.Message!),
      report.findings.map((f) => f.instanceId),
    );
  });
});

describe("webhook URLs from Secrets Manager", () => {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => secrets.reset());

  it("reads the URL from the channel's secret", async () => {
    secrets.on(GetSecretValueCommand, { SecretId: "patchline/chat/security-slack" }).resolves({ SecretString: " https://hooks.slack.com/services/T0/B0/x \n" });
    expect(await webhookUrlFromSecret(new SecretsManagerClient({ region: "us-east-1" }), "patchline/chat/security-slack")).toBe(
      "https://hooks.slack.com/services/T0/B0/x",
    );
  });

  it("says how to put the URL into a secret that has none yet", async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(
        Object.assign(new Error("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"), { name: "ResourceNotFoundException" }),
      );
    await expect(webhookUrlFromSecret(new SecretsManagerClient({ region: "us-east-1" }), "patchline/chat/security-slack")).rejects.toThrow(
      "secret patchline/chat/security-slack holds no webhook URL yet: aws secretsmanager put-secret-value --secret-id patchline/chat/security-slack --secret-string '<webhook URL>'",
    );
  });

  it("refuses a URL that is not https", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: "http://hooks.example.com/x" });
    await expect(webhookUrlFromSecret(new SecretsManagerClient({ region: "us-east-1" }), "s")).rejects.toThrow("secret s does not hold an https URL");
  });
});
