import { describe, expect, it } from "vitest";
import { chooseInput, choosePatchCommand } from "./choose.js";
import { patchInput } from "./patch.js";

const target = { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890" };
const hooks = {
  window: "prod-monthly",
  patchGroups: ["web-prod", "app-prod"],
  windowInstalls: true,
  document: "AWS-RunPatchBaselineWithHooks",
  parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"], PreInstallHookDocName: ["patchline-record-running-services"] },
};
const scanOnly = {
  window: "prod-scan",
  patchGroups: ["data-prod"],
  windowInstalls: false,
  document: "AWS-RunPatchBaseline",
  parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] },
};
const input = (patchGroup: string | null | undefined, commands: unknown[] = [hooks, scanOnly]) =>
  chooseInput.parse({ action: "choosePatchCommand", ...target, environment: "prod", patchState: { patchGroup, missingCount: 3 }, commands });

describe("choosing the window's command", () => {
  it("takes the command of the window that targets the instance's patch group, with its reboot option", () => {
    expect(choosePatchCommand(input("app-prod"))).toEqual({
      window: "prod-monthly",
      windowInstalls: true,
      document: "AWS-RunPatchBaselineWithHooks",
      parameters: hooks.parameters,
      rebootOption: "RebootIfNeeded",
    });
    expect(choosePatchCommand(input("data-prod"))).toMatchObject({ window: "prod-scan", windowInstalls: false, rebootOption: "NoReboot" });
  });

  it("is the patch function's action (its input parses through the handler's schema)", () => {
    expect(
      patchInput.parse({ action: "choosePatchCommand", ...target, environment: "prod", patchState: { patchGroup: "web-prod" }, commands: [hooks] }),
    ).toMatchObject({
      action: "choosePatchCommand",
    });
  });

  it.each([
    [
      "a patch group no window targets",
      "legacy",
      'patch group "legacy" of i-0abc123def4567890 in 400000000002/eu-west-1 is targeted by no maintenance window of prod (its windows patch web-prod, app-prod, data-prod)',
    ],
    ["no patch group", "", "has no patch group in its patch state, so no maintenance window of prod targets it"],
    ["a patch state without one", undefined, "tag it with one of web-prod, app-prod, data-prod"],
    ["null", null, "has no patch group"],
  ])("%s: NoPatchingWindow, saying why; no fallback", (_what, patchGroup, message) => {
    expect(() => choosePatchCommand(input(patchGroup))).toThrow(
      expect.objectContaining({ name: "NoPatchingWindow", message: expect.stringContaining(message) }),
    );
  });

  it("refuses a command that is not one patchline's settings would hold", () => {
    const tampered = { ...scanOnly, document: "AWS-RunShellScript", parameters: { commands: ["curl …"] } };
    expect(() => choosePatchCommand(input("data-prod", [tampered]))).toThrow(/is not a command patchline sends: document "AWS-RunShellScript"/);
  });
});
