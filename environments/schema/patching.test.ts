import { describe, expect, it } from "vitest";
import { problemsAfter } from "../../test/support/config.js";

describe("approve-after-days", () => {
  it.each([0, 360])("accepts %i (the AWS range is 0-360)", (days) => {
    expect(
      problemsAfter((d) => {
        for (const env of Object.values(d.environments)) env.approveAfterDays = days;
      }),
    ).toEqual([]);
  });

  it.each([-1, 361, 7.5])("rejects %s", (days) => {
    expect(problemsAfter((d) => (d.environments.prod.approveAfterDays = days))).toContain(
      `prod.approveAfterDays: ${days} is not an approve-after-days value: a whole number from 0 to 360`,
    );
  });

  it("may stay the same along the promotion order", () => {
    expect(problemsAfter((d) => (d.environments.prod.approveAfterDays = 7))).toEqual([]);
  });

  it("may not decrease along the promotion order", () => {
    expect(problemsAfter((d) => (d.environments.prod.approveAfterDays = 5))).toEqual([
      "prod.approveAfterDays: 5 is lower than preprod's 7; approve-after-days may not decrease along dev → preprod → prod",
    ]);
  });

  it("follows the configured order, not the order of the files", () => {
    expect(
      problemsAfter((d) => {
        d.org.promotionOrder = ["dev", "prod", "preprod"];
      }),
    ).toEqual([
      "preprod.approveAfterDays: 7 is lower than prod's 14; approve-after-days may not decrease along dev → prod → preprod",
      'prod.promotion.from: "preprod" comes after prod in dev → prod → preprod; promote from an earlier environment',
    ]);
  });
});

describe("approval rule filters per operating system", () => {
  it("accepts the keys and values each OS supports, and wildcards", () => {
    expect(
      problemsAfter((d) => {
        d.org.baselines.WINDOWS.approvalRules[0].filters = {
          PRODUCT_FAMILY: ["Windows"],
          CLASSIFICATION: ["SecurityUpdates"],
          PATCH_SET: ["OS"],
          MSRC_SEVERITY: ["*"],
        };
        d.org.baselines.UBUNTU.approvalRules[0].filters = { SECTION: ["*"], PRIORITY: ["Standard"] };
      }),
    ).toEqual([]);
  });

  it("rejects a key the OS does not support", () => {
    expect(problemsAfter((d) => (d.org.baselines.UBUNTU.approvalRules[0].filters.SEVERITY = ["Critical"]))).toEqual([
      'org.baselines.UBUNTU.approvalRules[0].filters.SEVERITY: "SEVERITY" is not a patch filter for UBUNTU; allowed: PRODUCT, SECTION, PRIORITY',
    ]);
  });

  it("rejects a value outside a closed list", () => {
    expect(problemsAfter((d) => (d.org.baselines.AMAZON_LINUX_2023.approvalRules[0].filters.SEVERITY = ["Critical", "Urgent"]))).toEqual([
      'org.baselines.AMAZON_LINUX_2023.approvalRules[0].filters.SEVERITY[1]: "Urgent" is not a SEVERITY value for AMAZON_LINUX_2023; allowed: Critical, Important, Medium, Low, None, *',
    ]);
  });

  it("rejects Windows classifications spelt the Linux way", () => {
    expect(problemsAfter((d) => (d.org.baselines.WINDOWS.approvalRules[0].filters.CLASSIFICATION = ["Security"]))).toEqual([
      'org.baselines.WINDOWS.approvalRules[0].filters.CLASSIFICATION[0]: "Security" is not a CLASSIFICATION value for WINDOWS; allowed: CriticalUpdates, DefinitionUpdates, Drivers, FeaturePacks, SecurityUpdates, ServicePacks, Tools, UpdateRollups, Updates, Upgrades, *',
    ]);
  });

  it("rejects an unknown operating system with the allowed ones", () => {
    expect(problemsAfter((d) => (d.org.baselines.SUSE = d.org.baselines.UBUNTU))).toEqual([
      'org.baselines: unknown operating system "SUSE"; allowed: AMAZON_LINUX_2023, AMAZON_LINUX_2, REDHAT_ENTERPRISE_LINUX, ROCKY_LINUX, ALMA_LINUX, ORACLE_LINUX, UBUNTU, DEBIAN, WINDOWS',
    ]);
  });

  it("rejects environment patch lists for an unknown operating system", () => {
    expect(problemsAfter((d) => (d.environments.prod.rejectedPatches.WINDOWS_SERVER = ["KB5034439"]))).toEqual([
      'prod.rejectedPatches: unknown operating system "WINDOWS_SERVER"; allowed: AMAZON_LINUX_2023, AMAZON_LINUX_2, REDHAT_ENTERPRISE_LINUX, ROCKY_LINUX, ALMA_LINUX, ORACLE_LINUX, UBUNTU, DEBIAN, WINDOWS',
    ]);
  });

  it("rejects an unknown compliance level with the allowed ones", () => {
    expect(problemsAfter((d) => (d.org.baselines.UBUNTU.approvalRules[0].complianceLevel = "SEVERE"))).toEqual([
      'org.baselines.UBUNTU.approvalRules[0].complianceLevel: "SEVERE" is not allowed; allowed: "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"',
    ]);
  });

  it("rejects an unknown rejected-patches action", () => {
    expect(problemsAfter((d) => (d.org.baselines.UBUNTU.rejectedPatchesAction = "DENY"))).toEqual([
      'org.baselines.UBUNTU.rejectedPatchesAction: "DENY" is not allowed; allowed: "ALLOW_AS_DEPENDENCY", "BLOCK"',
    ]);
  });

  it("allows at most 10 approval rules (the SSM limit)", () => {
    expect(problemsAfter((d) => (d.org.baselines.UBUNTU.approvalRules = Array(11).fill(d.org.baselines.UBUNTU.approvalRules[0])))).toEqual([
      "org.baselines.UBUNTU.approvalRules: has 11 entries; at most 10 allowed",
    ]);
  });
});

describe("operating systems referenced by environments", () => {
  it("rejects a patch group OS without a baseline", () => {
    expect(problemsAfter((d) => d.environments.dev.patchGroups[2].operatingSystems.push("DEBIAN"))).toEqual([
      'dev.patchGroups[2].operatingSystems[2]: "DEBIAN" has no baseline in org.baselines (defined: AMAZON_LINUX_2023, AMAZON_LINUX_2, REDHAT_ENTERPRISE_LINUX, UBUNTU, WINDOWS)',
    ]);
  });

  it("rejects approved or rejected patches for an OS without a baseline", () => {
    expect(problemsAfter((d) => (d.environments.prod.rejectedPatches.DEBIAN = ["openssl"]))).toEqual([
      'prod.rejectedPatches.DEBIAN: "DEBIAN" has no baseline in org.baselines (defined: AMAZON_LINUX_2023, AMAZON_LINUX_2, REDHAT_ENTERPRISE_LINUX, UBUNTU, WINDOWS)',
    ]);
  });

  it("accepts environment patch lists for OSes with a baseline", () => {
    expect(problemsAfter((d) => (d.environments.prod.approvedPatches = { UBUNTU: ["openssl"], WINDOWS: ["KB5034441"] }))).toEqual([]);
  });
});

describe("hook documents", () => {
  const preprodInstall = "preprod.maintenanceWindows[0].install";

  it("accepts hooks that exist and cover every platform the window patches", () => {
    expect(problemsAfter(() => undefined)).toEqual([]);
  });

  it("rejects a hook document that does not exist", () => {
    expect(problemsAfter((d) => (d.environments.preprod.maintenanceWindows[0].install.hooks.postInstall = "patchline-smoke-test"))).toEqual([
      `${preprodInstall}.hooks.postInstall: "patchline-smoke-test" is not in org.hookDocuments (defined: patchline-record-running-services, patchline-verify-services)`,
    ]);
  });

  it("rejects hooks with AWS-RunPatchBaseline, which has no hooks", () => {
    expect(problemsAfter((d) => (d.environments.preprod.maintenanceWindows[0].install.document = "AWS-RunPatchBaseline"))).toEqual([
      `${preprodInstall}.hooks: hooks need document "AWS-RunPatchBaselineWithHooks" (document is "AWS-RunPatchBaseline")`,
    ]);
  });

  it("rejects a hook without commands for a platform the window patches", () => {
    expect(problemsAfter((d) => delete d.org.hookDocuments[0].windows)).toEqual([
      `${preprodInstall}.hooks.preInstall: "patchline-record-running-services" has no commands for Windows, but the window patches Windows instances`,
      `prod.maintenanceWindows[0].install.hooks.preInstall: "patchline-record-running-services" has no commands for Windows, but the window patches Windows instances`,
    ]);
  });

  it("accepts a Linux-only hook when the window patches only Linux", () => {
    expect(
      problemsAfter((d) => {
        delete d.org.hookDocuments[0].windows;
        for (const env of [d.environments.preprod, d.environments.prod]) {
          for (const group of env.patchGroups) group.operatingSystems = group.operatingSystems.filter((os: string) => os !== "WINDOWS");
        }
      }),
    ).toEqual([]);
  });

  it("rejects a hook document without commands", () => {
    expect(
      problemsAfter((d) => {
        delete d.org.hookDocuments[1].linux;
        delete d.org.hookDocuments[1].windows;
      }),
    ).toContain('org.hookDocuments[1]: hook document "patchline-verify-services" has no commands: give "linux", "windows" or both');
  });

  it("rejects a name SSM reserves for AWS documents", () => {
    expect(problemsAfter((d) => d.org.hookDocuments.push({ ...d.org.hookDocuments[0], name: "AWSPreInstall" }))).toEqual([
      'org.hookDocuments[2].name: "AWSPreInstall" starts with a prefix SSM reserves for AWS documents (aws, amazon, amzn)',
    ]);
  });

  it("rejects two hook documents with one name", () => {
    expect(problemsAfter((d) => d.org.hookDocuments.push({ ...d.org.hookDocuments[0] }))).toEqual([
      'org.hookDocuments[2].name: "patchline-record-running-services" is already defined at org.hookDocuments[0]',
    ]);
  });

  it("bounds a hook's timeout", () => {
    expect(problemsAfter((d) => (d.org.hookDocuments[0].linux.timeoutSeconds = 0))).toEqual([
      "org.hookDocuments[0].linux.timeoutSeconds: 0 is not a timeout in seconds: a whole number from 1 to 172800",
    ]);
  });
});
