import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { type ConfigDraft, exampleWith } from "../../test/support/config.js";
import { Naming } from "../naming.js";
import { problemLine } from "./growth.js";
import { checkBaselinePatchLists, checkCoverageRules, checkHookDocuments, checkMemberPolicies, checkWindowTargets } from "./member.js";

const regions = [
  ...[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
  ],
  ...[
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
  ],
  ...[
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "ap-southeast-5",
    "ap-southeast-7",
    "ap-east-2",
    "ap-southeast-6",
  ],
];
const memberPolicyLines = (input: OrgConfigInput) => {
  const config = parseOrgConfig(input);
  return checkMemberPolicies(config, new Naming(config.org)).map(problemLine);
};
const lines = (check: (config: ReturnType<typeof parseOrgConfig>) => ReturnType<typeof checkWindowTargets>, input: OrgConfigInput) =>
  check(parseOrgConfig(input)).map(problemLine);

describe("member account limits", () => {
  it("the approval access role: 24 regions fit IAM's 10,240 characters per role, 25 do not (with the change calendar of the example's freeze)", () => {
    expect(memberPolicyLines(exampleWith((d) => (d.environments.prod.regions = regions.slice(0, 24))))).toEqual([]);
    expect(memberPolicyLines(exampleWith((d) => (d.environments.prod.regions = regions.slice(0, 25))))).toEqual([
      "prod.regions: with these 25 regions the approval access role's policy of each prod account names every region and would be 10,394 characters, above IAM's 10,240 per role (white space not counted); the first 24 fit: patch the accounts in fewer regions",
    ]);
  });

  it("without freezes the approval access role reads no calendar: 25 regions fit, as before change freezes", () => {
    expect(
      memberPolicyLines(
        exampleWith((d) => {
          d.org.freezes = [];
          d.environments.prod.regions = regions.slice(0, 25);
        }),
      ),
    ).toEqual([]);
  });

  it("the maintenance window role of an account in one stack, with install runbooks (the example's freeze): 30 regions fit, 31 do not; an account's own regions are reported at the account", () => {
    const withoutApproval = (change: (d: ConfigDraft) => void) =>
      exampleWith((d) => {
        delete d.environments.dev.approval;
        d.org.maxRegionsPerStack = 64;
        change(d);
      });
    expect(memberPolicyLines(withoutApproval((d) => (d.environments.dev.regions = regions.slice(0, 30))))).toEqual([]);
    expect(memberPolicyLines(withoutApproval((d) => (d.environments.dev.accounts[1].regions = regions.slice(0, 31))))).toEqual([
      "dev.accounts[1].regions: with these 31 regions the maintenance window role's policy of account web-dev names every region and would be 10,461 characters, above IAM's 10,240 per role (white space not counted); the first 30 fit: patch the account in fewer regions",
    ]);
    // Run Command tasks only (no freezes, no backups): 32 regions, as before
    expect(
      memberPolicyLines(
        withoutApproval((d) => {
          d.org.freezes = [];
          d.environments.dev.regions = regions.slice(0, 32);
        }),
      ),
    ).toEqual([]);
  });

  it("the maintenance window role holds only the regions of the account's own stack: 33 regions fit when the others have stacks of their own", () => {
    const config = exampleWith((d) => {
      delete d.environments.dev.approval;
      d.environments.dev.accounts[1].regions = regions.slice(0, 33);
    });
    expect(memberPolicyLines(config).filter((l) => l.includes("maintenance window role"))).toEqual([]);
  });

  it("the emergency patch role: every commercial region fits", () => {
    expect(memberPolicyLines(exampleWith((d) => (d.environments.prod.regions = regions))).filter((l) => l.includes("emergency patch role"))).toEqual([]);
  });

  it("the instance output policy (managed, 6,144 characters): the 34 commercial regions fit, a 35th does not", () => {
    const instanceOutput = (list: string[]) =>
      memberPolicyLines(exampleWith((d) => (d.environments.prod.regions = list))).filter((l) => l.includes("instance output policy"));
    expect(instanceOutput(regions)).toEqual([]);
    expect(instanceOutput([...regions, "us-gov-west-1"])).toEqual([
      "prod.regions: with these 35 regions the instance output policy (managed) of each prod account names every region and would be 6,217 characters, above IAM's 6,144 per managed policy (white space not counted); the first 34 fit: patch the accounts in fewer regions",
    ]);
  });

  it("a window's targets: 50 patch groups fit Systems Manager's 50 tag values, 51 do not", () => {
    const groups = (count: number) =>
      exampleWith((d) =>
        Array.from({ length: count }, (_, i) =>
          d.environments.prod.patchGroups.push({ name: `prod-group-${i + 1}`, operatingSystems: ["UBUNTU"], maintenanceWindow: "prod-monthly" }),
        ),
      );
    expect(lines(checkWindowTargets, groups(47))).toEqual([]);
    expect(lines(checkWindowTargets, groups(48))).toEqual([
      'prod.maintenanceWindows[0]: "prod-monthly" scans and patches 51 patch groups; its targets select them by their Patch Group tag and Systems Manager allows 50 tag values per target: spread the groups over more windows',
    ]);
  });

  it("a baseline's explicit patches: template and environment together, a patch in both counted once, 50 fit and 51 do not", () => {
    const rejected = (extra: number) =>
      exampleWith((d) => {
        d.org.baselines.WINDOWS.rejectedPatches = Array.from({ length: 50 }, (_, i) => `KB${5_000_000 + i}`);
        d.environments.prod.rejectedPatches.WINDOWS = ["KB5000000", ...Array.from({ length: extra }, (_, i) => `KB${6_000_000 + i}`)];
      });
    expect(lines(checkBaselinePatchLists, rejected(0))).toEqual([]);
    expect(lines(checkBaselinePatchLists, rejected(1))).toEqual([
      "prod.rejectedPatches.WINDOWS: with org.baselines.WINDOWS.rejectedPatches the prod WINDOWS baseline would list 51 rejected patches, and a patch baseline holds at most 50: list at most 50 in org.baselines.WINDOWS.rejectedPatches and prod.rejectedPatches.WINDOWS together",
    ]);
  });

  it("a hook document: Systems Manager's 64 KB per document", () => {
    const hook = (bytes: number) => exampleWith((d) => d.org.hookDocuments[1].linux.commands.push("#".repeat(bytes)));
    expect(lines(checkHookDocuments, hook(63_000))).toEqual([]);
    expect(lines(checkHookDocuments, hook(64_000))).toEqual([
      'org.hookDocuments[1]: "patchline-verify-services" would be a 65,658-byte document, above Systems Manager\'s 65,536-byte (64 KB) limit per document: move the commands into a script on the instances (or in S3) that the hook runs',
    ]);
  });

  it("the coverage rules' Guard policy: AWS Config's 10,000 characters per custom policy rule", () => {
    const groups = (count: number) =>
      exampleWith((d) =>
        Array.from({ length: count }, (_, i) =>
          d.environments.prod.patchGroups.push({
            name: `${String(i + 1).padStart(3, "0")}-${"g".repeat(240)}`,
            operatingSystems: ["UBUNTU"],
            maintenanceWindow: "prod-monthly",
          }),
        ),
      );
    expect(lines(checkCoverageRules, groups(39))).toEqual([]);
    expect(lines(checkCoverageRules, groups(40))).toEqual([
      "prod.patchGroups: the AWS Config rule that checks instance tags (compliance.tagCompliance) lists the prod patch group names in its Guard policy, which would be 10,174 characters, above AWS Config's 10,000 per custom policy rule: use fewer or shorter names",
    ]);
  });
});
