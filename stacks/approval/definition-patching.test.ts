import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { taskError } from "../../test/support/local-state-machine.js";
import { called, complianceEvent, definitionFor, happyPath, recordedOutcome, run } from "../../test/support/approval-workflow-run.js";

/** Items 4 and 6 of the approval workflow: which non-compliance asks, and patching as the window does. */

const preprodEvent = complianceEvent({ account: "300000000002", region: "us-east-1" });
const devEvent = complianceEvent({ account: "200000000002", region: "us-east-1" });
type RecordedState = { state: { outcome: unknown; patchState?: { urgency?: string }; error?: { Error?: string; Cause?: string } } };
const recordedState = (execution: Awaited<ReturnType<typeof run>>) => (called(execution, "RecordOutcome")[0] as RecordedState).state;

const notUrgent = {
  missingCount: 2,
  failedCount: 0,
  installedPendingRebootCount: 0,
  criticalNonCompliantCount: 0,
  securityNonCompliantCount: 0,
  otherNonCompliantCount: 2,
  patchGroup: "web-preprod",
  urgent: false,
  urgency: "none of its 2 missing or failed patches matches the trigger (severities Critical; classifications Security, SecurityUpdates, CriticalUpdates)",
};

describe("which non-compliance asks (approval.trigger)", () => {
  it("hands the environment's trigger to the patch-state step, and null where every non-compliance asks", async () => {
    const preprod = await run(preprodEvent);
    expect(called(preprod, "ReadPatchState")).toEqual([
      {
        action: "readPatchState",
        account: "300000000002",
        region: "us-east-1",
        instanceId: "i-0abc123def4567890",
        trigger: { severities: ["Critical"], classifications: ["Security", "SecurityUpdates", "CriticalUpdates"] },
      },
    ]);
    const prod = await run(complianceEvent());
    expect((called(prod, "ReadPatchState")[0] as { trigger: unknown }).trigger).toBeNull();
  });

  it("not urgent: records it, asks nobody, patches nothing, and the run succeeds", async () => {
    const execution = await run(preprodEvent, { ReadPatchState: () => notUrgent });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path.slice(execution.path.indexOf("ReadPatchState"))).toEqual([
      "ReadPatchState",
      "IsUrgent",
      "NotUrgent",
      "RecordOutcome",
      "Finished",
      "Done",
    ]);
    expect(recordedOutcome(execution)).toEqual({ status: "not-urgent" });
    expect(recordedState(execution).patchState?.urgency).toBe(notUrgent.urgency);
    for (const state of ["ChoosePatchCommand", "RegisterRequest", "Ask in preprod", "CreateBackup", "SendPatchCommand"])
      expect(called(execution, state), state).toEqual([]);
  });

  it("urgent: asks as without a trigger, and patches once approved", async () => {
    const execution = await run(preprodEvent, {
      ReadPatchState: () => ({ ...notUrgent, urgent: true, urgency: "1 of its 2 missing or failed patches match the trigger (…): KB5034441" }),
    });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path).toEqual(
      expect.arrayContaining(["IsUrgent", "ChoosePatchCommand", "RegisterRequest", "Ask in preprod", "SendPatchCommand", "Patched"]),
    );
    expect(recordedOutcome(execution)).toEqual({ status: "patched" });
  });

  it("a patch state that does not say (a patch function older than the definition) asks, as before triggers", async () => {
    const { urgent: _urgent, urgency: _urgency, ...silent } = notUrgent;
    const execution = await run(preprodEvent, { ReadPatchState: () => silent });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path).toEqual(expect.arrayContaining(["IsUrgent", "ChoosePatchCommand", "RegisterRequest", "Ask in preprod"]));
  });

  it("a patch state that cannot be read (the missing patches included) takes the existing failure path: recorded, announced, nobody asked", async () => {
    const execution = await run(preprodEvent, {
      ReadPatchState: () => Promise.reject(taskError("AccessDeniedException", "not authorized to perform ssm:DescribeInstancePatches")),
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "error", step: "read the instance's patch state" });
    expect(called(execution, "RegisterRequest")).toEqual([]);
  });
});

describe("the same patching as the window", () => {
  it("chooses the command of the window that targets the instance's patch group before anybody is asked", async () => {
    const execution = await run(preprodEvent);
    expect(called(execution, "ChoosePatchCommand")[0]).toMatchObject({
      action: "choosePatchCommand",
      environment: "preprod",
      patchState: { patchGroup: "web-preprod" },
      commands: [{ window: "preprod-weekly", patchGroups: ["web-preprod", "app-preprod", "data-preprod"], document: "AWS-RunPatchBaselineWithHooks" }],
    });
    expect(execution.path.indexOf("ChoosePatchCommand")).toBeLessThan(execution.path.indexOf("RegisterRequest"));
    expect((called(execution, "SendPatchCommand")[0] as { patchCommand: unknown }).patchCommand).toMatchObject({
      window: "preprod-weekly",
      document: "AWS-RunPatchBaselineWithHooks",
      parameters: { PreInstallHookDocName: ["patchline-record-running-services"], OnExitHookDocName: ["patchline-verify-services"] },
    });
  });

  it.each([
    [
      "a patch group no window targets",
      "legacy-web",
      'patch group "legacy-web" of i-0abc123def4567890 in 300000000002/us-east-1 is targeted by no maintenance window of preprod',
    ],
    ["no patch group", "", "i-0abc123def4567890 in 300000000002/us-east-1 has no patch group in its patch state"],
  ])("%s: fails with the reason recorded and announced, before anybody is asked", async (_what, patchGroup, reason) => {
    const execution = await run(preprodEvent, { ReadPatchState: (input, call) => ({ ...(happyPath.ReadPatchState!(input, call) as object), patchGroup }) });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "error", step: "find the maintenance window of the instance's patch group" });
    expect(recordedState(execution).error).toMatchObject({ Error: "NoPatchingWindow", Cause: expect.stringContaining(reason) });
    expect(called(execution, "RegisterRequest")).toEqual([]);
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });

  it('any other failure of the step is not recorded as a missing window: outcome error at step "choose the patch command"', async () => {
    const execution = await run(preprodEvent, {
      ChoosePatchCommand: () => Promise.reject(taskError("Error", "the command of window preprod-weekly is not a command patchline sends")),
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "error", step: "choose the patch command" });
    expect(recordedState(execution).error).toMatchObject({ Error: "Error", Cause: expect.stringContaining("is not a command patchline sends") });
    expect(called(execution, "RegisterRequest")).toEqual([]);
  });

  it("the request names the reboot option the window patches with, and the command carries it", async () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        d.environments.dev.maintenanceWindows[0].install.rebootOption = "NoReboot";
        delete d.environments.dev.approval.rebootOption;
      }),
    );
    const execution = await run(devEvent, {}, definitionFor(config));
    expect(execution.status).toBe("SUCCEEDED");
    expect((called(execution, "RegisterRequest")[0] as { settings: { rebootOption: string } }).settings.rebootOption).toBe("NoReboot");
    expect((called(execution, "SendPatchCommand")[0] as { patchCommand: unknown }).patchCommand).toMatchObject({
      window: "dev-weekly",
      document: "AWS-RunPatchBaseline",
      parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] },
    });
  });

  it("a window that only scans: AWS-RunPatchBaseline with the approval's reboot option", async () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        delete d.environments.dev.maintenanceWindows[0].install;
        d.environments.dev.approval.rebootOption = "NoReboot";
      }),
    );
    const execution = await run(devEvent, {}, definitionFor(config));
    expect((called(execution, "SendPatchCommand")[0] as { patchCommand: unknown }).patchCommand).toEqual({
      window: "dev-weekly",
      windowInstalls: false,
      document: "AWS-RunPatchBaseline",
      parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] },
      rebootOption: "NoReboot",
    });
  });
});
