import { describe, expect, it } from "vitest";
import { commandForPatchGroup, installCommand, patchCommandProblems, rebootOptionOf } from "./patch-command.js";

const hooks = { preInstall: "patchline-record-running-services", postInstall: "patchline-verify-services", onExit: "patchline-verify-services" };

describe("a window's install command", () => {
  it("is Install with the reboot option, then the hook documents, then the override list, in the task's order", () => {
    const command = installCommand({ document: "AWS-RunPatchBaselineWithHooks", rebootOption: "NoReboot", hooks });
    expect(command).toEqual({
      document: "AWS-RunPatchBaselineWithHooks",
      parameters: {
        Operation: ["Install"],
        RebootOption: ["NoReboot"],
        PreInstallHookDocName: ["patchline-record-running-services"],
        PostInstallHookDocName: ["patchline-verify-services"],
        OnExitHookDocName: ["patchline-verify-services"],
      },
    });
    expect(Object.keys(command.parameters)).toEqual(["Operation", "RebootOption", "PreInstallHookDocName", "PostInstallHookDocName", "OnExitHookDocName"]);
    expect(rebootOptionOf(command)).toBe("NoReboot");
  });

  it("names hook documents as the caller references them, and carries the promoted list", () => {
    const command = installCommand(
      { document: "AWS-RunPatchBaseline", rebootOption: "RebootIfNeeded" },
      { installOverrideList: "https://s3.us-east-1.amazonaws.com/promotions/prod/install-override-list.yaml" },
    );
    expect(command.parameters.InstallOverrideList).toEqual(["https://s3.us-east-1.amazonaws.com/promotions/prod/install-override-list.yaml"]);
    const referenced = installCommand(
      { document: "AWS-RunPatchBaselineWithHooks", rebootOption: "RebootIfNeeded", hooks: { onExit: "verify" } },
      { hookDocumentName: (name) => `\${aws_ssm_document.${name}.name}` },
    );
    expect(referenced.parameters.OnExitHookDocName).toEqual(["${aws_ssm_document.verify.name}"]);
  });

  it("refuses hooks without the hooks document", () => {
    expect(() => installCommand({ document: "AWS-RunPatchBaseline", rebootOption: "NoReboot", hooks: { preInstall: "x-hook" } })).toThrow(
      "hook preInstall (x-hook) needs AWS-RunPatchBaselineWithHooks, not AWS-RunPatchBaseline",
    );
  });

  it("passes its own run-time check; anything else does not", () => {
    expect(patchCommandProblems(installCommand({ document: "AWS-RunPatchBaselineWithHooks", rebootOption: "NoReboot", hooks }))).toEqual([]);
    expect(
      patchCommandProblems({
        document: "AWS-RunPatchBaselineWithHooks",
        parameters: { Operation: ["Install", "Scan"], InstallOverrideList: ["s3://bucket/list.yaml"], SnapshotId: ["x"] },
      }),
    ).toEqual([
      "Operation has 2 values, not 1",
      "AWS-RunPatchBaselineWithHooks has no InstallOverrideList parameter",
      'InstallOverrideList ["s3://bucket/list.yaml"] is not an https URL',
      'parameter "SnapshotId" is not one patchline sends',
      "RebootOption is missing",
    ]);
  });
});

describe("the command for an instance's patch group", () => {
  const commands = [
    { window: "a", patchGroups: ["web", "app"], windowInstalls: true, ...installCommand({ document: "AWS-RunPatchBaseline", rebootOption: "NoReboot" }) },
    { window: "b", patchGroups: ["data"], windowInstalls: false, ...installCommand({ document: "AWS-RunPatchBaseline", rebootOption: "RebootIfNeeded" }) },
  ];

  it("is the command of the window whose patch groups include it; none without a patch group or for another", () => {
    expect(commandForPatchGroup(commands, "app")?.window).toBe("a");
    expect(commandForPatchGroup(commands, "data")?.window).toBe("b");
    expect(commandForPatchGroup(commands, "Web")).toBeUndefined();
    expect(commandForPatchGroup(commands, "")).toBeUndefined();
    expect(commandForPatchGroup(commands, null)).toBeUndefined();
  });
});
