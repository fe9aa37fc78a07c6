import { ListAccountsForParentCommand, ListChildrenCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { exampleCatalog } from "../../../test/support/catalog.js";
import { listUnits } from "./organizations.js";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { parseRunInput, resolveTargets, runIdOf } from "./targets.js";
import { writeTargets } from "./write.js";

const none = new Map();

describe("run input", () => {
  it("accepts the schedule's empty input and a list of environments", () => {
    expect(parseRunInput({}, exampleCatalog)).toEqual({});
    expect(parseRunInput({ environments: ["prod"] }, exampleCatalog)).toEqual({ environments: ["prod"] });
  });

  it("names an unknown environment and the configured ones", () => {
    expect(() => parseRunInput({ environments: ["prd"] }, exampleCatalog)).toThrow('unknown environment(s) "prd"; configured: dev, preprod, prod');
  });

  it("rejects unknown fields", () => {
    expect(() => parseRunInput({ environment: "prod" }, exampleCatalog)).toThrow('run input {"environment":"prod"}: (input): unknown field "environment"');
  });

  it("says what a field should be", () => {
    expect(() => parseRunInput({ environments: "prod", includeOrganizationalUnits: "no" }, exampleCatalog)).toThrow(
      'run input {"environments":"prod","includeOrganizationalUnits":"no"}: environments: expected array; includeOrganizationalUnits: expected boolean',
    );
  });
});

describe("targets", () => {
  it("are every account and region of every environment, configured order", () => {
    const targets = resolveTargets(exampleCatalog, { includeOrganizationalUnits: false }, none);
    expect(targets).toHaveLength(2 + 2 + 3 * 2);
    expect(targets[0]).toEqual({ accountId: "200000000001", accountName: "payments-dev", environment: "dev", region: "us-east-1", source: "config" });
    expect(targets.filter((t) => t.environment === "prod").map((t) => `${t.accountName}/${t.region}`)).toEqual([
      "payments-prod/us-east-1",
      "payments-prod/eu-west-1",
      "web-prod/us-east-1",
      "web-prod/eu-west-1",
      "data-prod/us-east-1",
      "data-prod/eu-west-1",
    ]);
  });

  it("narrow to the chosen environments", () => {
    expect(new Set(resolveTargets(exampleCatalog, { environments: ["preprod"] }, none).map((t) => t.environment))).toEqual(new Set(["preprod"]));
  });

  it("add accounts of organizational units that config does not name, in the unit's environment and regions", () => {
    const units = new Map([
      [
        "ou-ex12-sandbox1",
        [
          { id: "200000000001", name: "payments-dev" },
          { id: "555555555555", name: "sandbox-42" },
        ],
      ],
    ]);
    const added = resolveTargets(exampleCatalog, {}, units).filter((t) => t.source !== "config");
    expect(added).toEqual([{ accountId: "555555555555", accountName: "sandbox-42", environment: "dev", region: "us-east-1", source: "ou:ou-ex12-sandbox1" }]);
  });

  it("skip units of environments the run does not cover", () => {
    const units = new Map([["ou-ex12-sandbox1", [{ id: "555555555555", name: "sandbox-42" }]]]);
    expect(resolveTargets(exampleCatalog, { environments: ["prod"] }, units).some((t) => t.accountId === "555555555555")).toBe(false);
  });

  it("have no ceiling: 30,000 account-regions of an organizational unit are all collected", () => {
    const many = Array.from({ length: 30_000 }, (_, i) => ({ id: String(600000000000 + i), name: `a${i}` }));
    expect(resolveTargets(exampleCatalog, {}, new Map([["ou-ex12-sandbox1", many]])).filter((t) => t.source !== "config")).toHaveLength(30_000);
  });

  it("share a short run id derived from the execution", () => {
    expect(runIdOf("arn:aws:states:us-east-1:100000000001:execution:patchline-compliance:abc", "2027-01-11T07:00:00.123Z")).toMatch(
      /^20270111T070000Z-[0-9a-f]{8}$/,
    );
  });
});

describe("organizational units", () => {
  const organizations = mockClient(OrganizationsClient);
  beforeEach(() => organizations.reset());

  it("lists active accounts of a unit and its child units, page by page", async () => {
    organizations.on(ListAccountsForParentCommand, { ParentId: "ou-ex12-sandbox1" }).callsFake((input) =>
      input.NextToken
        ? { Accounts: [{ Id: "555555555552", Name: "sandbox-2", State: "ACTIVE" }] }
        : {
            Accounts: [
              { Id: "555555555551", Name: "sandbox-1", State: "ACTIVE" },
              { Id: "555555555559", Name: "closing", State: "PENDING_CLOSURE" },
            ],
            NextToken: "p2",
          },
    );
    organizations.on(ListChildrenCommand, { ParentId: "ou-ex12-sandbox1" }).resolves({ Children: [{ Id: "ou-ex12-nested01", Type: "ORGANIZATIONAL_UNIT" }] });
    organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-ex12-nested01" })
      .resolves({ Accounts: [{ Id: "555555555553", Name: "nested", Status: "ACTIVE" }] });
    organizations.on(ListChildrenCommand, { ParentId: "ou-ex12-nested01" }).resolves({ Children: [] });

    const listing = await listUnits(new OrganizationsClient({ region: "us-east-1" }), ["ou-ex12-sandbox1"]);
    expect(listing.accounts.get("ou-ex12-sandbox1")!.map((a) => a.id)).toEqual(["555555555551", "555555555552", "555555555553"]);
    expect(organizations.commandCalls(ListAccountsForParentCommand).every((c) => c.args[0].input.MaxResults === 20)).toBe(true);
    expect(listing.warnings).toEqual([]);
  });

  it("turns a unit it may not list into a warning, so the run goes on with the configured accounts", async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .rejects(Object.assign(new Error("You don't have permissions to access this resource."), { name: "AccessDeniedException" }));
    const listing = await listUnits(new OrganizationsClient({ region: "us-east-1" }), ["ou-ex12-sandbox1"]);
    expect(listing.accounts.size).toBe(0);
    expect(listing.warnings).toEqual([
      "organizational unit ou-ex12-sandbox1 could not be listed (AccessDeniedException: You don't have permissions to access this resource.); its accounts were not checked",
    ]);
  });
});

describe("the run's targets file", () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  it("is one JSON array of the targets, what the Distributed Map reads; the state carries its key and count only", async () => {
    s3.on(PutObjectCommand).resolves({});
    const targets = resolveTargets(exampleCatalog, {}, none);
    const output = await writeTargets(new S3Client({ region: "us-east-1" }), "patchline-reports", {
      runId: "20270111T070000Z-1a2b3c4d",
      startedAt: "2027-01-11T07:00:00.000Z",
      targets,
      warnings: ["unit ou-x: access denied"],
    });
    expect(output).toEqual({
      runId: "20270111T070000Z-1a2b3c4d",
      startedAt: "2027-01-11T07:00:00.000Z",
      bucket: "patchline-reports",
      targetsKey: "runs/20270111T070000Z-1a2b3c4d/targets.json",
      targetCount: targets.length,
      warnings: ["unit ou-x: access denied"],
    });
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Bucket: "patchline-reports", Key: output.targetsKey, ContentType: "application/json" });
    expect(JSON.parse(String(put.Body))).toEqual(targets);
  });
});
