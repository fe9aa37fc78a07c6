import { ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, OrganizationsClient, type Account } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { listAccounts } from "./organizations.js";

const organizations = mockClient(OrganizationsClient);
const client = new OrganizationsClient({ region: "us-east-1" });

const account = (id: string, name: string, state = "ACTIVE"): Account => ({ Id: id, Name: name, State: state as Account["State"] });
/** `count` accounts 4000000001xx of one OU. */
const accounts = (count: number, first = 0) =>
  Array.from({ length: count }, (_, i) => account(`4000000001${String(first + i).padStart(2, "0")}`, `App ${first + i}`));

/** Pages by NextToken: `pages[0]` answers the first call, each page but the last hands out the next token. */
function paged<T>(pages: T[][], key: string) {
  return (input: { NextToken?: string }) => {
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return { [key]: pages[index], ...(index + 1 < pages.length ? { NextToken: String(index + 1) } : {}) };
  };
}

beforeEach(() => organizations.reset());

describe("listAccounts", () => {
  it("reads every page of an OU, 20 accounts per request, passing the token on", async () => {
    organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-ab12-prod0001" })
      .callsFake(paged([accounts(20), accounts(20, 20), accounts(5, 40)], "Accounts"));
    const found = await listAccounts(client, ["ou-ab12-prod0001"], false);
    expect(found).toHaveLength(45);
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsForParentCommand, 3);
    expect(organizations).toHaveReceivedNthCommandWith(ListAccountsForParentCommand, 1, { ParentId: "ou-ab12-prod0001", MaxResults: 20 });
    expect(organizations).toHaveReceivedNthCommandWith(ListAccountsForParentCommand, 3, { ParentId: "ou-ab12-prod0001", MaxResults: 20, NextToken: "2" });
    expect(organizations).not.toHaveReceivedCommand(ListOrganizationalUnitsForParentCommand);
  });

  it("walks nested OUs (paginated too) with --recursive, and lists each account once, by id", async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .resolves({ Accounts: [] })
      .on(ListAccountsForParentCommand, { ParentId: "ou-ab12-prod0001" })
      .resolves({ Accounts: [account("400000000002", "Web Prod"), account("400000000001", "Payments Prod")] })
      .on(ListAccountsForParentCommand, { ParentId: "ou-ab12-teama001" })
      .resolves({ Accounts: [account("400000000009", "Team A Prod", "SUSPENDED")] })
      .on(ListAccountsForParentCommand, { ParentId: "ou-ab12-deep0001" })
      .resolves({ Accounts: [account("400000000003", "Data Prod")] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand)
      .resolves({ OrganizationalUnits: [] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-ab12-prod0001" })
      .callsFake(paged([[{ Id: "ou-ab12-teama001" }], [{ Id: "ou-ab12-teamb001" }]], "OrganizationalUnits"))
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-ab12-teama001" })
      .resolves({ OrganizationalUnits: [{ Id: "ou-ab12-deep0001" }] });

    // the nested OU is also named directly: its accounts still appear once
    const found = await listAccounts(client, ["ou-ab12-prod0001", "ou-ab12-deep0001"], true);
    expect(found).toEqual([
      { id: "400000000001", awsName: "Payments Prod", state: "ACTIVE", parentId: "ou-ab12-prod0001" },
      { id: "400000000002", awsName: "Web Prod", state: "ACTIVE", parentId: "ou-ab12-prod0001" },
      { id: "400000000003", awsName: "Data Prod", state: "ACTIVE", parentId: "ou-ab12-deep0001" },
      { id: "400000000009", awsName: "Team A Prod", state: "SUSPENDED", parentId: "ou-ab12-teama001" },
    ]);
    expect(organizations).toHaveReceivedCommandWith(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-ab12-prod0001", MaxResults: 20, NextToken: "1" });
    expect(organizations).toHaveReceivedCommandWith(ListAccountsForParentCommand, { ParentId: "ou-ab12-teamb001", MaxResults: 20 });
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsForParentCommand, 4);
  });

  it("reads the older Status field when State is absent", async () => {
    organizations.on(ListAccountsForParentCommand).resolves({ Accounts: [{ Id: "400000000001", Name: "Old", Status: "PENDING_CLOSURE" }] });
    expect((await listAccounts(client, ["r-ab12"], false))[0]!.state).toBe("PENDING_CLOSURE");
  });

  it("says what an unknown OU and missing permissions mean", async () => {
    organizations.on(ListAccountsForParentCommand).rejects(Object.assign(new Error("not found"), { name: "ParentNotFoundException" }));
    await expect(listAccounts(client, ["ou-ab12-gone0001"], false)).rejects.toThrow(
      "ou-ab12-gone0001: no such organizational unit or root in this organization",
    );
    organizations.on(ListAccountsForParentCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    await expect(listAccounts(client, ["ou-ab12-prod0001"], false)).rejects.toThrow(
      /ou-ab12-prod0001: access denied; run with credentials of the management account or a delegated administrator/,
    );
  });

  it("rejects an id that is not an OU or root before calling AWS", async () => {
    await expect(listAccounts(client, ["prod"], false)).rejects.toThrow(
      '--ou: "prod" is not an organizational unit id ("ou-ab12-cd34ef56") or a root id ("r-ab12")',
    );
    expect(organizations).not.toHaveReceivedCommand(ListAccountsForParentCommand);
  });
});
