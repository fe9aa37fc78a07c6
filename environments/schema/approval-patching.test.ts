import { describe, expect, it } from "vitest";
import { TRIGGER_CLASSIFICATIONS, TRIGGER_SEVERITIES } from "../../contracts/approval.js";
import { type ConfigDraft, exampleWith, problemsAfter } from "../../test/support/config.js";
import { parseOrgConfig } from "./index.js";
import { approvalFilterKeys } from "./patching.js";

describe("approval.trigger: which non-compliance asks", () => {
  it("is left out by default: every non-compliance asks", () => {
    const config = parseOrgConfig(exampleWith(() => {}));
    expect(config.environments.find((e) => e.name === "prod")!.approval!.trigger).toBeUndefined();
  });

  it("takes severities, classifications or both", () => {
    for (const trigger of [
      { severities: ["Critical", "Important"] },
      { classifications: ["SecurityUpdates"] },
      { severities: ["Critical"], classifications: ["Security"] },
    ]) {
      const config = parseOrgConfig(exampleWith((d) => (d.environments.prod.approval.trigger = trigger)));
      expect(config.environments.find((e) => e.name === "prod")!.approval!.trigger).toEqual(trigger);
    }
  });

  it("names the allowed values, as Patch Manager reports them, for one it does not know", () => {
    expect(problemsAfter((d) => (d.environments.prod.approval.trigger = { severities: ["High"], classifications: ["Security", "Hotfix"] }))).toEqual([
      'prod.approval.trigger.severities[0]: "High" is not a patch severity Patch Manager reports; allowed: "Critical", "Important", "Moderate", "Medium", "Low", "None", "Unspecified"',
      'prod.approval.trigger.classifications[1]: "Hotfix" is not a patch classification Patch Manager reports; allowed: "Security", "Bugfix", "Enhancement", "Recommended", "Newpackage", "CriticalUpdates", "SecurityUpdates", "DefinitionUpdates", "Drivers", "FeaturePacks", "ServicePacks", "Tools", "UpdateRollups", "Updates", "Upgrades"',
    ]);
  });

  it.each([
    [
      {},
      "prod.approval.trigger: names no severity and no classification: give severities, classifications or both (leave trigger out to ask for every non-compliance)",
    ],
    [{ severities: [] }, "prod.approval.trigger.severities: has 0 entries; at least 1 required"],
    [{ severities: ["Critical", "Critical"] }, 'prod.approval.trigger.severities[1]: "Critical" is listed twice in severities'],
    [{ severity: ["Critical"] }, 'prod.approval.trigger: unknown field "severity"'],
  ])("rejects %j", (trigger, problem) => {
    expect(problemsAfter((d) => (d.environments.prod.approval.trigger = trigger))).toEqual([problem]);
  });

  it("allows exactly the severities and classifications of Patch Manager's approval-rule filters (Linux advisories and Windows)", () => {
    const values = (key: string) => new Set(Object.values(approvalFilterKeys).flatMap((keys) => keys[key] ?? []));
    expect(new Set(TRIGGER_SEVERITIES)).toEqual(new Set([...values("SEVERITY"), ...values("MSRC_SEVERITY")]));
    expect(new Set(TRIGGER_CLASSIFICATIONS)).toEqual(values("CLASSIFICATION"));
  });
});

describe("approval.rebootOption: patched as the window patches", () => {
  it("may be left out, or equal the reboot option of the environment's installing windows", () => {
    expect(problemsAfter((d) => delete d.environments.dev.approval.rebootOption)).toEqual([]);
    expect(problemsAfter((d) => (d.environments.dev.approval.rebootOption = "RebootIfNeeded"))).toEqual([]);
  });

  it("differing from a window that installs is an error: it would not apply", () => {
    expect(problemsAfter((d) => (d.environments.dev.approval.rebootOption = "NoReboot"))).toEqual([
      'dev.approval.rebootOption: "NoReboot" differs from the install.rebootOption of window "dev-weekly" (RebootIfNeeded); approved instances are patched as their window patches, so it would not apply: leave approval.rebootOption out (it applies only to patch groups whose window only scans) or set the window\'s',
    ]);
  });

  it("is not compared with a window no patch group uses: that window never patches an approved instance", () => {
    const spare = (d: ConfigDraft) => {
      const window = structuredClone(d.environments.dev.maintenanceWindows[0]);
      d.environments.dev.maintenanceWindows.push({ ...window, name: "dev-spare", install: { ...window.install, rebootOption: "NoReboot" } });
    };
    // the unused window is an error of its own; the approval's reboot option is not one more
    expect(problemsAfter(spare)).toEqual([
      'dev.maintenanceWindows[1].name: window "dev-spare" patches no patch group; set maintenanceWindow on a patch group or remove the window',
    ]);
    // once a patch group uses it, it patches approved instances too
    expect(
      problemsAfter((d) => {
        spare(d);
        d.environments.dev.patchGroups[2].maintenanceWindow = "dev-spare";
      }),
    ).toEqual([
      'dev.approval.rebootOption: "RebootIfNeeded" differs from the install.rebootOption of window "dev-spare" (NoReboot); approved instances are patched as their window patches, so it would not apply: leave approval.rebootOption out (it applies only to patch groups whose window only scans) or set the window\'s',
    ]);
  });

  it("applies to patch groups whose window only scans, and is not checked while the workflow is off", () => {
    expect(
      problemsAfter((d) => {
        delete d.environments.dev.maintenanceWindows[0].install;
        d.environments.dev.approval.rebootOption = "NoReboot";
      }),
    ).toEqual([]);
    expect(
      problemsAfter((d) => {
        d.environments.dev.approval.enabled = false;
        d.environments.dev.approval.rebootOption = "NoReboot";
      }),
    ).toEqual([]);
  });
});
