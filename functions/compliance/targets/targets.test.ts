import { ListAccountsForParentCommand, ListChildrenCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { exampleCatalog } from "../../../test/support/catalog.js";
import { listUnits } from "./organizations.js";
import { MAX_TARGETS_PER_RUN as RUN_TARGETS_CONTRACT } from "../../../contracts/compliance-run.js";
import { MAX_TARGETS_PER_RUN, parseRunInput, resolveTargets, runIdOf } from "./targets.js";

const none = new Map();

it("refuses more targets than contracts/compliance-run.ts says a run carries", () => {
  expect(MAX_TARGETS_PER_RUN).toBe(RUN_TARGETS_CONTRACT);
});

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

  it("refuse more targets than one run's state can carry, and say how to split", () => {
    const many = Array.from({ length: MAX_TARGETS_PER_RUN }, (_, i) => ({ id: String(600000000000 + i), name: `a${i}` }));
    expect(() => resolveTargets(exampleCatalog, {}, new Map([["ou-ex12-sandbox1", many]]))).toThrow(
      `${MAX_TARGETS_PER_RUN + 10} account-regions exceed the ${MAX_TARGETS_PER_RUN} one run carries; start runs per environment, e.g. {"environments": ["dev"]}`,
    );
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
