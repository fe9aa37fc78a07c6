import { DescribeInstancePatchesCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { requestProblems } from "../../test/support/api-model.js";
import { missingAndFailedPatches, patchesInState, patchState } from "./instance-patches.js";

const ssm = mockClient(SSMClient);
const instanceId = "i-0abc123def4567890";
const patch = (KBId: string, State: string) => ({
  KBId,
  Title: KBId,
  Classification: "Updates",
  Severity: "Low",
  State: State as "MISSING",
  InstalledTime: new Date(0),
});
const client = () => new SSMClient({ region: "eu-west-1" });

beforeEach(() => ssm.reset());

describe("patch states", () => {
  it("reads both spellings and drops the ones it has no name for", () => {
    expect(patchState("InstalledPendingReboot")).toBe("InstalledPendingReboot");
    expect(patchState("INSTALLED_PENDING_REBOOT")).toBe("InstalledPendingReboot");
    expect(patchState("NOT_APPLICABLE")).toBe("NotApplicable");
    expect(patchState("AVAILABLE_SECURITY_UPDATE")).toBeUndefined();
    expect(patchState(undefined)).toBeUndefined();
  });
});

describe("an instance's patches in one state", () => {
  it("names one state per call, reads every page of 100, and keeps only patches in that state", async () => {
    ssm
      .on(DescribeInstancePatchesCommand)
      .resolvesOnce({ Patches: [patch("KB1", "MISSING"), patch("KB2", "Installed")], NextToken: "page-2" })
      .resolvesOnce({ Patches: [patch("KB3", "Missing")] });
    const patches = await patchesInState(client(), instanceId, "Missing");
    expect(patches.map((p) => [p.KBId, p.State])).toEqual([
      ["KB1", "Missing"],
      ["KB3", "Missing"],
    ]);
    const calls = ssm.commandCalls(DescribeInstancePatchesCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    // (the paginator reuses its input object: only the last call's token can be told)
    expect(calls[1]!.NextToken).toBe("page-2");
    for (const input of calls) {
      expect(input).toMatchObject({ InstanceId: instanceId, Filters: [{ Key: "State", Values: ["Missing"] }], MaxResults: 100 });
      expect(requestProblems("ssm", "DescribeInstancePatches", input)).toEqual([]);
    }
  });

  it("leaves errors to the caller", async () => {
    ssm.on(DescribeInstancePatchesCommand).rejects(Object.assign(new Error("gone"), { name: "InvalidInstanceId", $metadata: {} }));
    await expect(patchesInState(client(), instanceId, "Failed")).rejects.toMatchObject({ name: "InvalidInstanceId" });
  });
});

describe("an instance's missing and failed patches", () => {
  it.each([
    [{ missing: 2, failed: 1 }, ["Failed", "Missing"], ["KB1", "KB2"]],
    [{ missing: 2, failed: 0 }, ["Missing"], ["KB1"]],
    [{ missing: 0, failed: 1 }, ["Failed"], ["KB2"]],
    [{ missing: 0, failed: 0 }, [], []],
  ])("with counts %j asks for states %j, one a call", async (counts, asked, listed) => {
    ssm.on(DescribeInstancePatchesCommand, { Filters: [{ Key: "State", Values: ["Missing"] }] }).resolves({ Patches: [patch("KB1", "MISSING")] });
    ssm.on(DescribeInstancePatchesCommand, { Filters: [{ Key: "State", Values: ["Failed"] }] }).resolves({ Patches: [patch("KB2", "FAILED")] });
    const patches = await missingAndFailedPatches(client(), instanceId, counts);
    const filters = ssm.commandCalls(DescribeInstancePatchesCommand).map((c) => c.args[0].input.Filters!);
    expect(filters.every((f) => f.length === 1 && f[0]!.Values!.length === 1)).toBe(true);
    expect(filters.map((f) => f[0]!.Values![0]).sort()).toEqual(asked);
    // missing patches first, then failed ones
    expect(patches.map((p) => p.KBId)).toEqual(listed);
  });
});
