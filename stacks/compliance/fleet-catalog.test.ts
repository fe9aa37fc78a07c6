import { describe, expect, it } from "vitest";
import { parseFleetCatalog } from "../../contracts/fleet-catalog.js";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig, exampleNaming } from "../../test/support/construct-synth.js";
import { windowInstallCommand } from "../member/patch-commands.js";
import { fleetCatalog, fleetCatalogJson } from "./fleet-catalog.js";

describe("the fleet catalog's window commands", () => {
  it("carries each installing window's install command with its rate control, as the window's task sends it", () => {
    const catalog = parseFleetCatalog(JSON.parse(fleetCatalogJson(exampleConfig, exampleNaming)));
    for (const environment of exampleConfig.environments)
      for (const window of environment.maintenanceWindows) {
        const written = catalog.environments.find((e) => e.name === environment.name)!.maintenanceWindows.find((w) => w.name === window.name)!;
        const command = windowInstallCommand(environment, window, exampleNaming);
        expect(written.installCommand).toEqual(command && { ...command, maxConcurrency: window.install!.maxConcurrency, maxErrors: window.install!.maxErrors });
      }
    const prod = catalog.environments.find((e) => e.name === "prod")!.maintenanceWindows[0]!;
    expect(prod.installCommand).toMatchObject({
      document: "AWS-RunPatchBaselineWithHooks",
      parameters: { PreInstallHookDocName: ["patchline-record-running-services"] },
      maxConcurrency: "10%",
      maxErrors: "1",
    });
  });

  it("has none for a window that only scans", () => {
    const scanOnly = parseOrgConfig(exampleWith((d) => delete d.environments.prod.maintenanceWindows[0].install));
    const window = fleetCatalog(scanOnly, exampleNaming).environments.find((e) => e.name === "prod")!.maintenanceWindows[0]!;
    expect(window).toMatchObject({ installs: false });
    expect(window.installCommand).toBeUndefined();
  });
});

describe("the fleet catalog's waves and freezes (for impending-patch notices)", () => {
  it("carries each environment's waves, each account's wave (the last one where it names none) and the freezes as UTC intervals", () => {
    const catalog = parseFleetCatalog(JSON.parse(fleetCatalogJson(exampleConfig, exampleNaming)));
    const prod = catalog.environments.find((e) => e.name === "prod")!;
    expect(prod.waves).toEqual([
      { name: "canary", delayHours: 0 },
      { name: "main", delayHours: 48 },
    ]);
    expect(prod.accounts.map((a) => [a.name, a.wave])).toEqual([
      ["payments-prod", "main"],
      ["web-prod", "canary"],
      ["data-prod", "main"],
    ]);
    // the organization's year-end freeze: 18 Dec 2026 - 3 Jan 2027 (included) on the US/Central clock
    expect(prod.freezes).toEqual([{ start: "2026-12-18T06:00:00Z", end: "2027-01-04T06:00:00Z", reason: "year-end freeze" }]);
    const dev = catalog.environments.find((e) => e.name === "dev")!;
    expect(dev.waves).toEqual([]);
    expect(dev.accounts.every((a) => a.wave === undefined)).toBe(true);
  });
});
