import { DescribeTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetAutomationExecutionCommand, SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { forwardedEvents } from "../../../contracts/event-patterns.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { parseInput } from "../../shared/input.js";
import { failureLookupClients } from "../shared/member-access.js";
import { failureEventSchema, failureOf } from "./events.js";
import { failureDocument } from "./format.js";
import { lookupNames } from "./lookup.js";

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);

/** An Automation step event as Systems Manager documents it, forwarded to the central bus. */
const stepEvent = (StepName: string, Status: string) => ({
  version: "0",
  id: "e9",
  "detail-type": "EC2 Automation Step Status-change Notification",
  source: "aws.ssm",
  account: "400000000002",
  time: "2026-12-24T03:01:00Z",
  region: "us-east-1",
  resources: ["arn:aws:ssm:us-east-1:400000000002:automation-execution/5d6e7f80-0000-4000-8000-000000000042"],
  detail: {
    ExecutionId: "5d6e7f80-0000-4000-8000-000000000042",
    Definition: "patchline-install-prod-monthly",
    DefinitionVersion: 1.0,
    Status,
    StepName,
    Action: "aws:sleep",
  },
});
const deps = () => ({
  sts: new STSClient({ region: "us-east-1" }),
  clientsFor: failureLookupClients,
  roleArn: "arn:aws:iam::400000000002:role/patchline-compliance-reader",
});
const parse = (e: unknown) => failureOf(parseInput(failureEventSchema, e));

beforeEach(() => {
  for (const m of [ssm, ec2, sts]) m.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date() } });
  ssm.on(GetAutomationExecutionCommand).resolves({
    AutomationExecution: { DocumentName: "patchline-install-prod-monthly", Parameters: { InstanceId: ["i-0abc123def4567890"] } },
  });
  ec2.on(DescribeTagsCommand).resolves({ Tags: [{ Key: "Name", Value: "web-1" }] });
});

describe("the install runbook stopped before patching: failure channels", () => {
  it("a change freeze: names the instance (read from the execution), the window and the freeze", async () => {
    const failure = parse(stepEvent("SkipPatchingDuringChangeFreeze", "Success"));
    const names = await lookupNames(deps(), failure, "Owner");
    const request = ssm.commandCalls(GetAutomationExecutionCommand)[0]!.args[0].input;
    expect(request).toEqual({ AutomationExecutionId: "5d6e7f80-0000-4000-8000-000000000042" });
    expect(requestProblems("ssm", "GetAutomationExecution", request)).toEqual([]);
    const doc = failureDocument(failure, names, { environment: "prod", accountName: "web-prod" });
    expect(doc.title).toBe('Not patched during a change freeze: i-0abc123def4567890 "web-1", prod / web-prod (400000000002) / us-east-1');
    expect(doc.summary[0]).toContain("change calendar is CLOSED");
    expect(doc.lines.map((l) => l.text)).toEqual(
      expect.arrayContaining([
        "window: prod-monthly",
        "window task: install",
        "automation execution: 5d6e7f80-0000-4000-8000-000000000042",
        "step: SkipPatchingDuringChangeFreeze",
      ]),
    );
  });

  it("a backup that failed: says the instance was not patched, with Automation's reason", async () => {
    ssm.on(GetAutomationExecutionCommand).resolves({
      AutomationExecution: { Parameters: { InstanceId: ["i-0abc123def4567890"] }, FailureMessage: "Step fails when it is Asserting. PrePatchBackupCompleted" },
    });
    const failure = parse(stepEvent("PrePatchBackupCompleted", "Failed"));
    const doc = failureDocument(failure, await lookupNames(deps(), failure, "Owner"), { environment: "prod", accountName: "web-prod" });
    expect(doc.title).toBe('Not patched, PrePatchBackupCompleted Failed on i-0abc123def4567890 "web-1": prod / web-prod (400000000002) / us-east-1');
    expect(doc.lines.map((l) => l.text)).toContain("reason: Step fails when it is Asserting. PrePatchBackupCompleted");
  });

  it("the forwarded pattern matches a freeze skip and failed steps before patching, nothing else", () => {
    const { detail } = forwardedEvents.installStoppedBeforePatching;
    const matches = (StepName: string, Status: string) =>
      detail.$or.some((rule) => (rule.StepName as readonly string[]).includes(StepName) && (rule.Status as readonly string[]).includes(Status));
    expect(matches("SkipPatchingDuringChangeFreeze", "Success")).toBe(true);
    expect(matches("WaitForPrePatchBackup", "TimedOut")).toBe(true);
    expect(matches("CheckChangeCalendar", "Failed")).toBe(true);
    // a failed patch command is reported by its own command event; a backup that went on is no news
    expect(matches("PatchInstance", "Failed")).toBe(false);
    expect(matches("StartPrePatchBackup", "Success")).toBe(false);
  });
});
