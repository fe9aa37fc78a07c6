import { describe, expect, it } from "vitest";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { parseOrgConfig } from "./index.js";
import { exampleWith, problemsAfter, problemsOf } from "../../test/support/config.js";

describe("the example organization", () => {
  it("is valid", () => {
    expect(problemsOf(exampleOrganization)).toEqual([]);
  });
});

describe("account ids", () => {
  it("accepts 12 digits, leading zeros included", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[1].id = "012345678901"))).toEqual([]);
  });

  it.each([
    ["12345", 'prod.accounts[1].id: "12345" is not a 12-digit AWS account id'],
    ["4000000000021", 'prod.accounts[1].id: "4000000000021" is not a 12-digit AWS account id'],
    ["40000000000a", 'prod.accounts[1].id: "40000000000a" is not a 12-digit AWS account id'],
  ])("rejects %s", (id, message) => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[1].id = id))).toEqual([message]);
  });

  it("rejects a number, which would lose leading zeros", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[1].id = 400000000002))).toEqual(["prod.accounts[1].id: 400000000002 is not a string"]);
  });

  it("requires an id", () => {
    expect(problemsAfter((d) => delete d.environments.prod.accounts[1].id)).toEqual(["prod.accounts[1].id: is required (a 12-digit AWS account id)"]);
  });

  it("rejects a bad central account id", () => {
    expect(problemsAfter((d) => (d.org.central.accountId = "1"))).toEqual(['org.central.accountId: "1" is not a 12-digit AWS account id']);
  });
});

describe("an account belongs to exactly one environment", () => {
  it("rejects the same id in two environments", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[0].id = d.environments.dev.accounts[0].id))).toEqual([
      'prod.accounts[0].id: "200000000001" is already in dev.accounts[0]; an account belongs to exactly one environment',
    ]);
  });

  it("rejects the same id twice in one environment", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[2].id = "400000000001"))).toEqual([
      'prod.accounts[2].id: "400000000001" is already in prod.accounts[0]; an account belongs to exactly one environment',
    ]);
  });

  it("rejects two accounts of one environment with the same name (their stacks would collide)", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[2].name = "web-prod"))).toEqual([
      'prod.accounts[2].name: "web-prod" is already the name of prod.accounts[1]; stack names must be unique',
    ]);
  });

  it("allows the same account name in different environments (stacks are prefixed by the environment)", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[0].name = "payments-dev"))).toEqual([]);
  });
});

describe("names", () => {
  it.each([
    ["aws:owner", '"aws:owner" is not an EC2 tag key: 1-128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"'],
    ["owner#mail", '"owner#mail" is not an EC2 tag key: 1-128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"'],
  ])("rejects the owner tag key %s", (key, message) => {
    expect(problemsAfter((d) => (d.org.ownerTagKey = key))).toEqual([`org.ownerTagKey: ${message}`]);
  });

  it("accepts an owner tag key with spaces and punctuation, and defaults it to Owner", () => {
    expect(problemsAfter((d) => (d.org.ownerTagKey = "Owner E-Mail"))).toEqual([]);
    expect(parseOrgConfig(exampleWith((d) => delete d.org.ownerTagKey)).org.ownerTagKey).toBe("Owner");
  });

  it("refuses an account named like another account's region stack", () => {
    expect(
      problemsAfter((d) => {
        d.org.maxRegionsPerStack = 1;
        d.environments.prod!.accounts.push({ name: "web-prod-eu-west-1", id: "400000000009", regions: ["us-east-1"] });
      }),
    ).toEqual([
      'prod.accounts[3].name: "web-prod-eu-west-1" is also the name of the stack of "web-prod"\'s region eu-west-1 (prod-web-prod-eu-west-1); stack names must be unique: rename the account',
    ]);
  });

  it("takes Patch Group or PatchGroup as the patch group tag key, Patch Group by default, and names both when another is given", () => {
    expect(parseOrgConfig(exampleWith((d) => delete d.org.patchGroupTagKey)).org.patchGroupTagKey).toBe("Patch Group");
    expect(parseOrgConfig(exampleWith((d) => (d.org.patchGroupTagKey = "PatchGroup"))).org.patchGroupTagKey).toBe("PatchGroup");
    expect(problemsAfter((d) => (d.org.patchGroupTagKey = "patch-group" as never))).toEqual([
      expect.stringMatching(/^org\.patchGroupTagKey: .*"Patch Group".*"PatchGroup"/),
    ]);
  });

  it.each(["ab", "web-prod-2", `a${"b".repeat(39)}`])("accepts the account name %s", (name) => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[0].name = name))).toEqual([]);
  });

  it.each(["Web-Prod", "2web", "web_prod", "web-", "a", `a${"b".repeat(40)}`])("rejects the account name %s", (name) => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[0].name = name))).toEqual([
      `prod.accounts[0].name: ${JSON.stringify(name)} is not a valid account name: 2-40 lowercase letters, digits and hyphens, starting with a letter`,
    ]);
  });

  it("rejects an environment name that cannot prefix stack names", () => {
    const problems = problemsAfter((d) => {
      d.environments["Prod-1"] = d.environments.prod;
      delete d.environments.prod;
      d.org.promotionOrder = ["dev", "preprod", "Prod-1"];
    });
    expect(problems).toEqual([
      'org.promotionOrder[2]: "Prod-1" is not a valid environment name: 2-16 lowercase letters and digits, starting with a letter',
      'Prod-1: "Prod-1" is not a valid environment name: 2-16 lowercase letters and digits, starting with a letter',
    ]);
  });

  it.each([
    ["Patchline", '"Patchline" is not a valid name prefix: 3-20 lowercase letters, digits and hyphens, starting with a letter'],
    ["pl", '"pl" is not a valid name prefix: 3-20 lowercase letters, digits and hyphens, starting with a letter'],
  ])("rejects the name prefix %s", (prefix, message) => {
    expect(problemsAfter((d) => (d.org.namePrefix = prefix))).toEqual([`org.namePrefix: ${message}`]);
  });

  it("accepts a name prefix of 3-20 characters", () => {
    expect(problemsAfter((d) => (d.org.namePrefix = "acme-patching"))).toEqual([]);
  });

  it.each(["dev.weekly_2", "DevWeekly"])("accepts the SSM window name %s", (name) => {
    expect(
      problemsAfter((d) => {
        d.environments.dev.maintenanceWindows[0].name = name;
        for (const group of d.environments.dev.patchGroups) group.maintenanceWindow = name;
      }),
    ).toEqual([]);
  });

  it.each(["ab", "dev weekly", "x".repeat(129)])("rejects the SSM window name %s", (name) => {
    expect(
      problemsAfter((d) => {
        d.environments.dev.maintenanceWindows[0].name = name;
        for (const group of d.environments.dev.patchGroups) group.maintenanceWindow = name;
      }),
    ).toEqual([
      ...[0, 1, 2].map(
        (g) => `dev.patchGroups[${g}].maintenanceWindow: ${JSON.stringify(name)} is not a valid SSM name: 3-128 characters from a-z, A-Z, 0-9, "_", "-", "."`,
      ),
      `dev.maintenanceWindows[0].name: ${JSON.stringify(name)} is not a valid SSM name: 3-128 characters from a-z, A-Z, 0-9, "_", "-", "."`,
    ]);
  });

  it("accepts a patch group name with spaces and tag punctuation", () => {
    expect(problemsAfter((d) => (d.environments.dev.patchGroups[0].name = "Web Servers: dev/blue+green@eu"))).toEqual([]);
  });

  it("rejects a patch group name a tag value cannot hold", () => {
    expect(problemsAfter((d) => (d.environments.dev.patchGroups[0].name = "web#dev"))).toEqual([
      'dev.patchGroups[0].name: "web#dev" is not a valid patch group name: 1-256 letters, digits, spaces and _.:/=+-@',
    ]);
  });

  it("rejects a patch group defined twice in an environment", () => {
    expect(problemsAfter((d) => (d.environments.dev.patchGroups[1].name = "web-dev"))).toEqual([
      'dev.patchGroups[1].name: "web-dev" is already defined at dev.patchGroups[0]',
    ]);
  });

  it("rejects a deploy role name IAM would refuse", () => {
    expect(problemsAfter((d) => (d.org.deployRoleName = "patchline deploy"))).toEqual([
      'org.deployRoleName: "patchline deploy" is not an IAM role name (1-64 of letters, digits, +=,.@_-)',
    ]);
  });

  it("rejects a plan role name IAM would refuse, and accepts none", () => {
    expect(problemsAfter((d) => (d.org.planRoleName = "patchline/plan"))).toEqual([
      'org.planRoleName: "patchline/plan" is not an IAM role name (1-64 of letters, digits, +=,.@_-)',
    ]);
    expect(problemsAfter((d) => delete d.org.planRoleName)).toEqual([]);
  });

  it("rejects a state bucket name S3 would refuse", () => {
    expect(problemsAfter((d) => (d.org.stateBackend.bucket = "Example_State"))).toEqual(['org.stateBackend.bucket: "Example_State" is not an S3 bucket name']);
  });

  it("rejects an organization id that is not one", () => {
    expect(problemsAfter((d) => (d.org.organizationId = "r-abcd"))).toEqual([
      'org.organizationId: "r-abcd" is not an AWS Organizations id (e.g. "o-a1b2c3d4e5")',
    ]);
  });
});

describe("regions", () => {
  it.each(["eu-central-2", "ap-southeast-4", "us-gov-west-1", "cn-north-1"])("accepts %s", (region) => {
    expect(problemsAfter((d) => (d.environments.prod.regions = ["us-east-1", region]))).toEqual([]);
  });

  it.each(["us-east-9", "useast1", "US-EAST-1", "eu-west"])("rejects %s", (region) => {
    expect(problemsAfter((d) => (d.environments.prod.regions = ["us-east-1", region]))).toEqual([
      `prod.regions[1]: ${JSON.stringify(region)} is not an AWS region code (e.g. "us-east-1")`,
    ]);
  });

  it("rejects a region listed twice", () => {
    expect(problemsAfter((d) => (d.environments.prod.regions = ["us-east-1", "us-east-1"]))).toEqual([
      'prod.regions[1]: "us-east-1" is listed twice in regions',
    ]);
  });

  it("checks an account's own regions", () => {
    expect(problemsAfter((d) => (d.environments.prod.accounts[0].regions = ["eu-north-9"]))).toEqual([
      'prod.accounts[0].regions[0]: "eu-north-9" is not an AWS region code (e.g. "us-east-1")',
    ]);
  });

  it("rejects an environment without regions", () => {
    expect(problemsAfter((d) => (d.environments.prod.regions = []))).toEqual(["prod.regions: has 0 entries; at least 1 required"]);
  });
});

describe("promotion order", () => {
  it("must list every environment", () => {
    expect(problemsAfter((d) => (d.org.promotionOrder = ["dev", "prod"]))).toEqual([
      'org.promotionOrder: environment "preprod" is missing; list every environment in promotion order',
    ]);
  });

  it("may list only configured environments", () => {
    expect(problemsAfter((d) => (d.org.promotionOrder = ["dev", "preprod", "prod", "qa"]))).toEqual([
      'org.promotionOrder[3]: "qa" is not a configured environment (configured: dev, preprod, prod)',
    ]);
  });

  it("may not list an environment twice", () => {
    expect(problemsAfter((d) => (d.org.promotionOrder = ["dev", "preprod", "prod", "dev"]))).toEqual([
      'org.promotionOrder[3]: "dev" is listed twice in promotionOrder',
    ]);
  });
});

describe("other fields", () => {
  it("reports a misspelt field instead of ignoring it", () => {
    expect(problemsAfter((d) => (d.environments.prod.approveAfterDay = 14))).toEqual(['prod: unknown field "approveAfterDay"']);
  });

  it.each(["ops@example", "ops example.com"])("rejects the e-mail address %s", (address) => {
    expect(problemsAfter((d) => (d.org.notifications.emailSubscribers = [address]))).toEqual([
      `org.notifications.emailSubscribers[0]: ${JSON.stringify(address)} is not an e-mail address`,
    ]);
  });

  it("accepts CloudWatch Logs retention values only", () => {
    expect(problemsAfter((d) => (d.org.logs = { logGroupRetentionDays: 400 }))).toEqual([]);
    expect(problemsAfter((d) => (d.org.logs = { logGroupRetentionDays: 100 }))).toEqual([
      "org.logs.logGroupRetentionDays: 100 is not a CloudWatch Logs retention period; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ]);
  });

  it("bounds the retention of command output", () => {
    expect(problemsAfter((d) => (d.org.logs = { outputRetentionDays: 0 }))).toEqual([
      "org.logs.outputRetentionDays: 0 is not a retention in days: a whole number from 1 to 3650",
    ]);
  });
});
