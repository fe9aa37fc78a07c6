import { DescribeInstancePatchesCommand, DescribeInstancePatchStatesCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { recordingLog } from "../../../test/support/approval-fakes.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { readPatchState, type PatchDeps } from "./patch.js";
import { describeTrigger, matchesTrigger, urgencyOf } from "./trigger.js";

const ssm = mockClient(SSMClient);
const target = { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890" };
const deps: PatchDeps = {
  ssm: (_account, region) => new SSMClient({ region }),
  output: { bucket: "b", bucketRegion: "us-east-1", keyPrefixTemplate: "run-command/{environment}/{account}/{region}", logGroup: "/patchline/run-command" },
  now: () => new Date("2027-03-04T08:00:00.000Z"),
  log: recordingLog(),
};
const securityOnly = { classifications: ["SecurityUpdates", "Security"] };
const critical = { severities: ["Critical"] };

const patch = (KBId: string, Severity: string, Classification: string, State = "MISSING") => ({
  Title: KBId,
  KBId,
  Severity,
  Classification,
  State: State as "MISSING",
  InstalledTime: new Date(0),
});

beforeEach(() => ssm.reset());

describe("matching a patch against the trigger", () => {
  it.each([
    [patch("KB1", "Critical", "Updates"), critical, true],
    [patch("KB1", "critical", "Updates"), critical, true],
    [patch("KB2", "Important", "SecurityUpdates"), critical, false],
    [patch("KB2", "Important", "SecurityUpdates"), securityOnly, true],
    [patch("openssl.x86_64", "Important", "Security"), securityOnly, true],
    [patch("vim.x86_64", "Low", "Bugfix"), { ...critical, ...securityOnly }, false],
    [patch("KB3", "Unspecified", "Drivers"), { ...critical, ...securityOnly }, false],
  ])("%o with %o: %s", (p, trigger, expected) => {
    expect(matchesTrigger(p, trigger)).toBe(expected);
  });

  it("a patch it cannot judge (severity and classification both unknown, as Debian's priority and section) asks", () => {
    expect(matchesTrigger(patch("libc6", "Optional", "libs"), critical)).toBe(true);
    expect(matchesTrigger(patch("libc6", "", ""), critical)).toBe(true);
    // one known attribute is enough to judge it
    expect(matchesTrigger(patch("libc6", "Optional", "Security"), critical)).toBe(false);
  });

  it("says why, naming the matching patches (five at most)", () => {
    expect(describeTrigger({ ...critical, ...securityOnly })).toBe("severities Critical; classifications SecurityUpdates, Security");
    const many = ["KB1", "KB2", "KB3", "KB4", "KB5", "KB6", "KB7"].map((id) => patch(id, "Critical", "SecurityUpdates"));
    expect(urgencyOf([...many, patch("KB9", "Low", "Updates"), patch("libc6", "Optional", "libs")], critical, { missing: 9, failed: 0 })).toEqual({
      urgent: true,
      urgency:
        "8 of its 9 missing or failed patches match the trigger (severities Critical): KB1, KB2, KB3, KB4, KB5 and 3 more; 1 of them with a severity and classification patchline cannot judge",
    });
    expect(urgencyOf([patch("KB9", "Low", "Updates")], critical, { missing: 1, failed: 0 })).toEqual({
      urgent: false,
      urgency: "none of its 1 missing or failed patches matches the trigger (severities Critical)",
    });
  });
});

describe("readPatchState with the environment's trigger", () => {
  const state = (missing: number, failed = 0) => ({
    InstancePatchStates: [
      {
        InstanceId: target.instanceId,
        PatchGroup: "web-prod",
        BaselineId: "pb-1",
        MissingCount: missing,
        FailedCount: failed,
        Operation: "Scan" as const,
        OperationStartTime: new Date("2027-03-03T21:00:00Z"),
        OperationEndTime: new Date("2027-03-03T21:05:00Z"),
      },
    ],
  });

  const stateFilter = (state: string) => ({ Filters: [{ Key: "State", Values: [state] }] });

  it("lists the missing and the failed patches, one state a call, page by page, and asks when one matches", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(2, 1));
    ssm
      .on(DescribeInstancePatchesCommand, stateFilter("Missing"))
      .resolvesOnce({ Patches: [patch("KB5", "Low", "Updates")], NextToken: "page-2" })
      .resolvesOnce({ Patches: [patch("KB6", "Moderate", "Updates")] });
    ssm.on(DescribeInstancePatchesCommand, stateFilter("Failed")).resolves({ Patches: [patch("KB7", "Critical", "SecurityUpdates", "FAILED")] });
    const assessment = await readPatchState({ action: "readPatchState", ...target, trigger: critical }, deps);
    expect(assessment).toMatchObject({
      missingCount: 2,
      failedCount: 1,
      patchGroup: "web-prod",
      urgent: true,
      urgency: "1 of its 3 missing or failed patches match the trigger (severities Critical): KB7",
    });
    const calls = ssm.commandCalls(DescribeInstancePatchesCommand).map((c) => c.args[0].input);
    // the two states are read side by side (the order of their calls is not fixed); the missing ones
    // are two pages ("of its 3" above counts KB6 of the second)
    expect(calls.map((c) => c.Filters![0]!.Values![0]).sort()).toEqual(["Failed", "Missing", "Missing"]);
    for (const input of calls) {
      expect(input).toMatchObject({ InstanceId: target.instanceId, MaxResults: 100 });
      expect(requestProblems("ssm", "DescribeInstancePatches", input)).toEqual([]);
    }
  });

  it("asks only for a state SSM counts some of", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(0, 2));
    ssm.on(DescribeInstancePatchesCommand).resolves({ Patches: [patch("KB7", "Low", "Updates", "Failed"), patch("KB8", "Low", "Updates", "FAILED")] });
    await expect(readPatchState({ action: "readPatchState", ...target, trigger: critical }, deps)).resolves.toMatchObject({
      urgent: false,
      urgency: "none of its 2 missing or failed patches matches the trigger (severities Critical)",
    });
    expect(ssm.commandCalls(DescribeInstancePatchesCommand).map((c) => c.args[0].input.Filters)).toEqual([stateFilter("Failed").Filters]);
  });

  it("SSM counts missing patches but lists none: urgent, saying so (patchline cannot tell they do not match)", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(2, 1));
    ssm.on(DescribeInstancePatchesCommand).resolves({ Patches: [] });
    await expect(readPatchState({ action: "readPatchState", ...target, trigger: critical }, deps)).resolves.toMatchObject({
      urgent: true,
      urgency:
        "SSM counts 2 missing and 1 failed patches of the instance but lists none of them, so patchline cannot tell whether one matches the trigger (severities Critical) and asks",
    });
  });

  it("only missing patches of other kinds: not urgent, with the reason", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(1));
    ssm.on(DescribeInstancePatchesCommand).resolves({ Patches: [patch("KB5", "Low", "Updates"), patch("KB8", "Critical", "Updates", "INSTALLED")] });
    await expect(readPatchState({ action: "readPatchState", ...target, trigger: critical }, deps)).resolves.toMatchObject({
      urgent: false,
      urgency: "none of its 1 missing or failed patches matches the trigger (severities Critical)",
    });
  });

  it("nothing missing or failed by SSM's count: not urgent, without listing patches", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(0));
    await expect(readPatchState({ action: "readPatchState", ...target, trigger: securityOnly }, deps)).resolves.toMatchObject({ urgent: false });
    expect(ssm.commandCalls(DescribeInstancePatchesCommand)).toEqual([]);
  });

  it("without a trigger it lists nothing and asks", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(3));
    await expect(readPatchState({ action: "readPatchState", ...target, trigger: null }, deps)).resolves.toMatchObject({ urgent: true });
    expect(ssm.commandCalls(DescribeInstancePatchesCommand)).toEqual([]);
  });

  it("a throttled patch list surfaces as TransientAwsError (the state machine retries)", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(1));
    ssm.on(DescribeInstancePatchesCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: {} }));
    await expect(readPatchState({ action: "readPatchState", ...target, trigger: critical }, deps)).rejects.toMatchObject({ name: "TransientAwsError" });
  });

  it("a refusal (a member stack older than the central one) names the fix: deploy the account's member stack", async () => {
    ssm.on(DescribeInstancePatchStatesCommand).resolves(state(1));
    ssm.on(DescribeInstancePatchesCommand).rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException", $metadata: {} }));
    await expect(readPatchState({ action: "readPatchState", ...target, trigger: critical }, deps)).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: expect.stringContaining("deploy the member stack of 400000000002 so the approval access role may call ssm:DescribeInstancePatches"),
    });
  });
});
