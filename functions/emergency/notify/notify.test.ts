import { describe, expect, it } from "vitest";
import type { EmergencyRun } from "../../../contracts/emergency-patch.js";
import type { WaveSummary } from "../../../contracts/emergency-results.js";
import { recordingLog } from "../../../test/support/approval-fakes.js";
import { EXECUTION_ARN, examplePlan, exampleFleet, RUN_ID, runDepsOver } from "../../../test/support/emergency.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import { emailFormat } from "../../shared/chat/email-format.js";
import { slackFormat } from "../../shared/chat/slack-format.js";
import { teamsFormat } from "../../shared/chat/teams-format.js";
import { splitDocument } from "../../shared/chat/document.js";
import { startRun } from "../run/start.js";
import { executionConsoleUrl, runMessage } from "./messages.js";
import { notifyInput, notifyRun, runChannels } from "./notify.js";

const run: EmergencyRun = await startRun(
  { action: "start", runId: RUN_ID, startedAt: "2027-03-04T08:00:00.000Z", plan: examplePlan({ patches: ["KB5034441"], withoutHooks: true }) },
  runDepsOver(new Map()),
);
const wave = (number: number, overrides: Partial<WaveSummary> = {}): WaveSummary => ({
  number,
  targets: 2,
  completed: 2,
  unfinished: [],
  unfinishedCount: 0,
  invocations: { targeted: 40, succeeded: 39, failed: 1 },
  failureRatePercent: 2.5,
  failedInstances: [{ instanceId: "i-0123456789abcdef0", status: "Failed", window: "prod-monthly", accountId: "400000000002", region: "us-east-1" }],
  ...overrides,
});
const context = (results: WaveSummary[], r = run) => ({ run: r, results, executionArn: EXECUTION_ARN });
const texts = (document: NoticeDocument) => [document.title, ...document.summary, ...document.lines.map((l) => l.text)];

describe("the run's channels", () => {
  it("are the failure channels and the environment's notice channels, each once", () => {
    expect(runChannels(exampleFleet, "prod").map((c) => c.name)).toEqual(["platform-teams", "patching-mail", "app-teams-slack"]);
    expect(runChannels(exampleFleet, "dev").map((c) => c.name)).toEqual(["platform-teams", "patching-mail", "app-teams-slack"]);
    expect(() => runChannels(exampleFleet, "staging")).toThrow('environment "staging" of the run is not in the catalog');
  });
});

describe("the run's messages", () => {
  it("at the start: why, who, what is sent (named patches, no hooks) and the waves, with a link to the execution", () => {
    const document = runMessage({ kind: "started" }, context([]));
    expect(document.title).toBe("Emergency patch run started in prod: 3 waves");
    expect(document.link).toEqual({
      label: "the run's execution",
      url: `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${EXECUTION_ARN}`,
    });
    expect(texts(document)).toEqual([
      "Emergency patch run started in prod: 3 waves",
      "Reason: CVE-2027-0001 in openssl, exploited in the wild",
      "Started by arn:aws:sts::100000000001:assumed-role/platform-oncall/alice at 2027-03-04T08:00:00.000Z",
      "Instances tagged patch-policy=patch-on-schedule in the windows' patch groups are patched wave by wave; a wave with more than 5 % failed instances stops the run.",
      "prod-monthly: patch groups web-prod, app-prod, data-prod with AWS-RunPatchBaseline, RebootIfNeeded, 10% at a time, error threshold 1",
      "only the named patches (InstallOverrideList): KB5034441",
      "without the windows' lifecycle hooks (named patches need AWS-RunPatchBaseline)",
      "wave 1: 1 account (web-prod), 2 account-regions",
      "wave 2: 1 account (payments-prod), 2 account-regions",
      "wave 3: 1 account (data-prod), 2 account-regions",
    ]);
  });

  it("after a wave that passed: its rate, the next wave, the failed instances", () => {
    const document = runMessage({ kind: "wavePassed" }, context([wave(1)]));
    expect(document.title).toBe("Emergency patch run in prod: wave 1 of 3 passed, wave 2 starts");
    expect(document.summary).toEqual(["2.5 % failed, at most 5 % allowed.", "Next: wave 2: 1 account (payments-prod), 2 account-regions."]);
    expect(document.lines.map((l) => `${l.section}: ${l.text}`)).toEqual([
      "Waves: wave 1: 39 of 40 instances patched, 2.5 % failed; 2 of 2 account-regions completed",
      "Not patched in wave 1: i-0123456789abcdef0 in 400000000002 us-east-1 (window prod-monthly): Failed",
    ]);
  });

  it("when halted: why, which waves did not start, what is not patched", () => {
    const halted = wave(2, {
      unfinished: [{ accountId: "400000000001", accountName: "payments-prod", region: "eu-west-1", status: "unreachable", error: "TargetUnreachable" }],
      unfinishedCount: 1,
      completed: 1,
      haltReason: "halted after wave 2: 1 of 2 account-regions not seen through (payments-prod eu-west-1: unreachable)",
    });
    const document = runMessage({ kind: "halted" }, context([wave(1), halted]));
    expect(document.title).toBe("Emergency patch run in prod halted after wave 2 of 3");
    expect(document.summary).toEqual([
      "halted after wave 2: 1 of 2 account-regions not seen through (payments-prod eu-west-1: unreachable)",
      "Not started: wave 3 (1 account). Their instances are not patched.",
      "Commands already sent run to their end. Look at the failed instances before starting another run.",
    ]);
    expect(texts(document)).toContain("payments-prod (400000000001) eu-west-1: unreachable: TargetUnreachable");
  });

  it("at the end: what was patched over every wave", () => {
    const document = runMessage(
      { kind: "finished" },
      context([wave(1), wave(2), wave(3, { failedInstances: [], invocations: { targeted: 10, succeeded: 10, failed: 0 } })]),
    );
    expect(document.title).toBe("Emergency patch run in prod finished: 88 of 90 instances patched");
    expect(document.lines.filter((l) => l.section === "Waves")).toHaveLength(3);
  });

  it("when the run itself broke: where, and the error", () => {
    const document = runMessage({ kind: "broken", error: { Error: "States.ItemReaderFailed", Cause: "no object" } }, context([wave(1)]));
    expect(document.title).toBe("Emergency patch run in prod failed in wave 2 of 3: States.ItemReaderFailed");
    expect(document.summary[0]).toBe("The run itself failed (States.ItemReaderFailed: no object); no further wave starts.");
  });

  it("fit every channel's format, with an operator's markup in the reason shown as text", () => {
    const hostile = { ...run, reason: "<!channel> *now* [click](https://evil.example) <https://evil.example|here>" };
    const document = runMessage({ kind: "started" }, context([], hostile));
    const slack = splitDocument(document, slackFormat);
    const shown = JSON.stringify(slack);
    expect(shown).toContain("&lt;!channel&gt;");
    expect(shown).not.toContain("<!channel>");
    expect(shown).not.toContain("<https://evil.example");
    expect(shown).toContain(`<${executionConsoleUrl(EXECUTION_ARN)}|the run's execution>`);
    expect(splitDocument(document, teamsFormat).length).toBe(1);
    expect(splitDocument(document, emailFormat)[0]!.subject).toBe("Emergency patch run started in prod: 3 waves");
  });
});

describe("telling the channels", () => {
  const input = notifyInput.parse({ kind: "wavePassed", run, results: [wave(1)], executionArn: EXECUTION_ARN });

  it("sends the message to every channel of the run", async () => {
    const sent: string[] = [];
    await expect(notifyRun(input, { catalog: async () => exampleFleet, deliver: async (c) => void sent.push(c.name), log: recordingLog() })).resolves.toEqual({
      channels: 3,
    });
    expect(sent).toEqual(["platform-teams", "patching-mail", "app-teams-slack"]);
  });

  it("tries every channel, then fails naming those that did not get it", async () => {
    const sent: string[] = [];
    const deliver = async (c: { name: string }) => {
      if (c.name === "patching-mail") throw new Error("SNS: KMS key disabled");
      sent.push(c.name);
    };
    await expect(notifyRun(input, { catalog: async () => exampleFleet, deliver, log: recordingLog() })).rejects.toMatchObject({
      name: "EmergencyNotificationNotDelivered",
      message: "not delivered to patching-mail: SNS: KMS key disabled",
    });
    expect(sent).toEqual(["platform-teams", "app-teams-slack"]);
  });

  it("refuses a broken-run message without the error, telling no channel", async () => {
    const sent: string[] = [];
    const broken = notifyInput.parse({ kind: "broken", run, executionArn: EXECUTION_ARN });
    await expect(notifyRun(broken, { catalog: async () => exampleFleet, deliver: async (c) => void sent.push(c.name), log: recordingLog() })).rejects.toThrow(
      'a "broken" message needs the error the run failed with (input.error)',
    );
    expect(sent).toEqual([]);
  });

  it("links only to an execution ARN's own region", () => {
    expect(executionConsoleUrl(EXECUTION_ARN)).toMatch(/^https:\/\/us-east-1\.console\.aws\.amazon\.com\/states\/home\?region=us-east-1#/);
    expect(() => executionConsoleUrl("prod-20270304T080000Z-1a2b")).toThrow('"prod-20270304T080000Z-1a2b" is not an execution ARN');
  });
});
