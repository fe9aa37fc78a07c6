import { describe, expect, it } from "vitest";
import { exampleNaming } from "../../test/support/construct-synth.js";
import { exampleWith } from "../../test/support/config.js";
import { taskError } from "../../test/support/local-state-machine.js";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { approvalSettingsOf, SETTINGS_STATE } from "./definition.js";
import { assertValidDefinition } from "../core/asl.js";

import { definitionFor, definition, TOKEN, complianceEvent, later, run, called, recordedOutcome } from "../../test/support/approval-workflow-run.js";

describe("the approval workflow definition", () => {
  it("passes asl-validator", () => {
    expect(() => assertValidDefinition("patchline-approval", definition)).not.toThrow();
  });

  it("carries every environment's settings in one state, in the config's words", () => {
    expect(approvalSettingsOf(definition).prod).toEqual({
      environment: "prod",
      reminderIntervalHours: 24,
      reminderCount: 3,
      onNoResponse: "reject",
      trigger: null,
      backupBeforePatch: true,
      backupTimeoutMinutes: 180,
      rebootOption: "RebootIfNeeded",
      patchTimeoutMinutes: 240,
      // the example organization has a freeze (org.freezes): approved patching waits it out
      changeCalendar: "patchline-change-freezes",
      duringFreeze: "wait",
      patchCommands: [
        {
          window: "prod-monthly",
          patchGroups: ["web-prod", "app-prod", "data-prod"],
          windowInstalls: true,
          document: "AWS-RunPatchBaselineWithHooks",
          parameters: {
            Operation: ["Install"],
            RebootOption: ["RebootIfNeeded"],
            PreInstallHookDocName: ["patchline-record-running-services"],
            PostInstallHookDocName: ["patchline-verify-services"],
            OnExitHookDocName: ["patchline-verify-services"],
          },
        },
      ],
    });
    expect(approvalSettingsOf(definition).preprod!.trigger).toEqual({
      severities: ["Critical"],
      classifications: ["Security", "SecurityUpdates", "CriticalUpdates"],
    });
    expect(Object.keys(approvalSettingsOf(definition))).toEqual(["dev", "preprod", "prod"]);
    expect(definition.StartAt).toBe(SETTINGS_STATE);
  });

  it("is plain data: the same config builds the same definition", () => {
    expect(JSON.stringify(definitionFor())).toBe(JSON.stringify(definition));
  });
});

describe("events that are not for the workflow end without asking anyone", () => {
  it.each([
    ["a missing instance id", complianceEvent({ detail: { "resource-id": undefined } })],
    ["an account that is not a string", complianceEvent({ account: 400000000002 })],
    ["another detail-type", complianceEvent({ "detail-type": "EC2 Command Status-change Notification" })],
    ["a compliant status", complianceEvent({ detail: { "compliance-status": "compliant" } })],
    ["an association compliance change", complianceEvent({ detail: { "compliance-type": "Association" } })],
    ["a resource id that is no instance", complianceEvent({ detail: { "resource-id": "vol-0abc" } })],
    ["no event at all", {}],
  ])("malformed: %s", async (_what, event) => {
    const execution = await run(event);
    expect(execution).toMatchObject({ status: "FAILED", error: "MalformedEvent" });
    expect(execution.calls.size).toBe(0);
  });

  it("accepts the status in upper case, as some SSM events carry it", async () => {
    const execution = await run(complianceEvent({ detail: { "compliance-status": "NON_COMPLIANT" } }), { LookUpInstance: () => ({ tagged: false }) });
    expect(execution.path).toContain("LookUpInstance");
  });

  it("an account outside the configured environments is refused before any role is assumed", async () => {
    const execution = await run(complianceEvent({ account: "999999999999" }));
    expect(execution).toMatchObject({ status: "FAILED", error: "AccountNotConfigured" });
    expect([...execution.calls.keys()]).toEqual(["ResolveAccount"]);
  });

  it("a configured account in a region it is not configured in is refused", async () => {
    const execution = await run(complianceEvent({ account: "200000000001", region: "eu-west-1" }));
    expect(execution).toMatchObject({ status: "FAILED", error: "AccountNotConfigured" });
    expect([...execution.calls.keys()]).toEqual(["ResolveAccount"]);
  });

  it("looks the account up in the fleet catalog with the event's account and region, and goes on with its environment's settings", async () => {
    const execution = await run(complianceEvent());
    expect(called(execution, "ResolveAccount")).toEqual([{ action: "resolveAccount", account: "400000000002", region: "eu-west-1" }]);
    expect(called(execution, "LookUpInstance")[0]).toMatchObject({ account: "400000000002", region: "eu-west-1" });
    expect(execution.path).toContain("Use prod settings");
  });

  it("an environment the catalog names but the definition does not know is refused (a catalog newer than the definition)", async () => {
    const execution = await run(complianceEvent(), { ResolveAccount: () => ({ environment: "sandbox" }) });
    expect(execution).toMatchObject({ status: "FAILED", error: "AccountNotConfigured" });
    expect([...execution.calls.keys()]).toEqual(["ResolveAccount"]);
  });

  it("a catalog that cannot be read ends the execution before anybody is asked", async () => {
    const execution = await run(complianceEvent(), { ResolveAccount: () => Promise.reject(taskError("InvalidFleetCatalog")) });
    expect(execution).toMatchObject({ status: "FAILED", error: "AccountNotResolved" });
    expect([...execution.calls.keys()]).toEqual(["ResolveAccount"]);
  });

  it("an account of an environment without approval ends quietly", async () => {
    const config = parseOrgConfig(exampleWith((d) => (d.environments.dev.approval.enabled = false)));
    const execution = await run(complianceEvent({ account: "200000000001", region: "us-east-1" }), {}, definitionFor(config));
    expect(execution).toMatchObject({ status: "SUCCEEDED", path: expect.arrayContaining(["ApprovalNotEnabled"]) });
    expect([...execution.calls.keys()]).toEqual(["ResolveAccount"]);
  });

  it("a hybrid managed node (mi-) ends quietly", async () => {
    const execution = await run(complianceEvent({ detail: { "resource-id": "mi-0123456789abcdef0" } }));
    expect(execution).toMatchObject({ status: "SUCCEEDED", path: expect.arrayContaining(["NotAnEc2Instance"]) });
    expect(execution.calls.size).toBe(0);
  });

  it("an instance not tagged patch-policy=patch-on-approval ends after the lookup", async () => {
    const execution = await run(complianceEvent(), { LookUpInstance: () => ({ tagged: false, name: "web-2", owner: null }) });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path.at(-1)).toBe("NotTaggedForApproval");
    expect(called(execution, "LookUpInstance")).toEqual([
      { action: "lookUp", account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890" },
    ]);
    expect(called(execution, "RegisterRequest")).toEqual([]);
  });

  it("an instance that no longer exists ends after the lookup", async () => {
    const execution = await run(complianceEvent(), { LookUpInstance: () => Promise.reject(taskError("InstanceNotFound")) });
    expect(execution).toMatchObject({ status: "SUCCEEDED", path: expect.arrayContaining(["InstanceGone"]) });
  });

  it("a duplicate event while a request is open ends without a second request", async () => {
    const execution = await run(complianceEvent(), { RegisterRequest: () => Promise.reject(taskError("ApprovalAlreadyPending")) });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path.at(-1)).toBe("AlreadyPending");
    expect(called(execution, "Ask in prod")).toEqual([]);
  });
});

describe("asking", () => {
  it("registers the request with the instance, its patch state and the environment's settings", async () => {
    const execution = await run(complianceEvent());
    expect(called(execution, "RegisterRequest")[0]).toMatchObject({
      action: "register",
      execution: "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1",
      request: { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890", environment: "prod" },
      settings: { environment: "prod", backupBeforePatch: true },
      instance: { tagged: true, name: "web-1", owner: "alice@example.com" },
      patchState: { missingCount: 4 },
    });
  });

  it("waits each environment's reminder interval for an answer", () => {
    expect(definition.States["Ask in prod"]).toMatchObject({ Type: "Task", TimeoutSeconds: 24 * 3600 });
    expect(definition.States["Ask in dev"]).toMatchObject({ Type: "Task", TimeoutSeconds: 8 * 3600 });
  });

  it("hands the task token only to the request function, with the approval id", async () => {
    const execution = await run(complianceEvent());
    expect(called(execution, "Ask in prod")).toEqual([
      {
        FunctionName: exampleNaming.approvalFunctionArn("request"),
        Payload: { action: "ask", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", reminder: 0, taskToken: TOKEN },
      },
    ]);
    for (const [state, calls] of execution.calls) if (state !== "Ask in prod") expect(JSON.stringify(calls), state).not.toContain(TOKEN);
  });
});

describe("approved", () => {
  it("prod: backs up, waits for the AMI, patches with its window's command, waits for the command, records patched", async () => {
    const execution = await run(complianceEvent());
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path).toEqual(
      expect.arrayContaining([
        "CreateBackup",
        "WaitForBackup",
        "CheckBackup",
        "BackupReady",
        "SendPatchCommand",
        "WaitForPatch",
        "CheckPatch",
        "PatchDone",
        "Patched",
        "RecordOutcome",
        "Done",
      ]),
    );
    expect(execution.path.indexOf("SendPatchCommand")).toBeGreaterThan(execution.path.lastIndexOf("CheckBackup"));
    expect(called(execution, "CheckBackup")).toHaveLength(3);
    expect(called(execution, "CreateBackup")[0]).toEqual({
      action: "createBackup",
      account: "400000000002",
      region: "eu-west-1",
      instanceId: "i-0abc123def4567890",
      approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
      timeoutMinutes: 180,
    });
    expect(called(execution, "SendPatchCommand")[0]).toEqual({
      action: "sendCommand",
      account: "400000000002",
      region: "eu-west-1",
      instanceId: "i-0abc123def4567890",
      environment: "prod",
      approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw",
      patchCommand: {
        window: "prod-monthly",
        windowInstalls: true,
        document: "AWS-RunPatchBaselineWithHooks",
        parameters: {
          Operation: ["Install"],
          RebootOption: ["RebootIfNeeded"],
          PreInstallHookDocName: ["patchline-record-running-services"],
          PostInstallHookDocName: ["patchline-verify-services"],
          OnExitHookDocName: ["patchline-verify-services"],
        },
        rebootOption: "RebootIfNeeded",
      },
      timeoutMinutes: 240,
    });
    expect(called(execution, "CheckPatch")[1]).toMatchObject({ action: "checkCommand", commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", checks: 1 });
    expect(recordedOutcome(execution)).toEqual({ status: "patched" });
  });

  it("records who decided, the AMI and the command with the outcome", async () => {
    const execution = await run(complianceEvent());
    const { state } = called(execution, "RecordOutcome")[0] as { state: Record<string, unknown> };
    expect(state).toMatchObject({
      decision: { decision: "approve", approver: { identity: "alice@example.com", sourceIp: "198.51.100.7" } },
      backup: { imageId: "ami-0123456789abcdef0", status: "available" },
      command: { commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status: "succeeded" },
      approval: { approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw" },
    });
  });

  it("dev: patches without a backup", async () => {
    const execution = await run(complianceEvent({ account: "200000000001", region: "us-east-1" }));
    expect(execution.status).toBe("SUCCEEDED");
    expect(called(execution, "CreateBackup")).toEqual([]);
    expect(called(execution, "SendPatchCommand")[0]).toMatchObject({
      environment: "dev",
      patchCommand: { window: "dev-weekly", document: "AWS-RunPatchBaseline", parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"] } },
      timeoutMinutes: 180,
    });
  });
});

describe("rejected", () => {
  it("records rejected and patches nothing", async () => {
    const execution = await run(complianceEvent(), {
      "Ask in prod": () => ({ decision: "reject", approver: { kind: "unverified", identity: "bob" }, decidedAt: later }),
    });
    expect(execution.status).toBe("SUCCEEDED");
    expect(recordedOutcome(execution)).toEqual({ status: "rejected" });
    expect(called(execution, "CreateBackup")).toEqual([]);
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });
});
