import { describe, expect, it } from "vitest";
import type { EnvironmentInput, OrgConfigInput } from "../environments/schema/index.js";
import { generatedOrganization } from "./fixtures/organizations/generated.js";
import { exampleWith } from "./support/config.js";
import { synthOrg } from "./support/synth.js";
import { changedAddresses, type TerraformJson } from "./support/terraform-json.js";
import { scratchFolders } from "./support/scratch.js";

/**
 * Account vending must not wait for a review of the most sensitive stack: adding or removing a
 * member account changes nothing in the central stack but the fleet catalog's data objects (the
 * catalog the central functions read, the accounts table Athena joins).
 */
const CATALOG_DATA = ["aws_s3_object.Compliance_Storage_AccountsTable_2D1BCCD2", "aws_s3_object.Compliance_Storage_FleetCatalog_F82E5BD8"];

const { removeAfterTests } = scratchFolders("patchline-central-independence-");
function central(input: OrgConfigInput): TerraformJson {
  const { outdir, stacks } = synthOrg({ input });
  removeAfterTests(outdir);
  return stacks.get("central")!.json;
}

describe("the central stack and the organization's accounts", () => {
  it("N and N+1 accounts: only the catalog's data objects differ", () => {
    expect(changedAddresses(central(generatedOrganization({ accounts: [3, 3, 3] })), central(generatedOrganization({ accounts: [3, 3, 4] })))).toEqual(
      CATALOG_DATA,
    );
  });

  it("an account in a region no other account uses: only the catalog's data objects differ", () => {
    const before = generatedOrganization({ accounts: [2, 2, 2] });
    const after = exampleWith((d) => {
      Object.assign(d, structuredClone(before));
      d.environments.prod!.accounts.push({ name: "prod-tokyo", id: "499999999999", regions: ["ap-northeast-1"] });
    });
    expect(changedAddresses(central(before), central(after))).toEqual(CATALOG_DATA);
  });

  it("a new organization's first account: only the catalog's data objects differ", () => {
    // a new organization has no canary waves yet: one account cannot fill the example prod's two
    const newOrganization = (accounts: (name: string, e: EnvironmentInput) => EnvironmentInput["accounts"]) =>
      exampleWith((d) =>
        Object.entries(d.environments).forEach(([name, e]) => {
          delete e.waves;
          e.accounts = accounts(name, e).map(({ wave: _, ...account }) => account);
        }),
      );
    const none = newOrganization(() => []);
    const one = newOrganization((name, e) => (name === "prod" ? e.accounts.slice(0, 1) : []));
    expect(changedAddresses(central(none), central(one))).toEqual(CATALOG_DATA);
  });
});
