import { paginateListAccountsForParent, paginateListChildren, type OrganizationsClient } from "@aws-sdk/client-organizations";
import { asError } from "../../shared/errors.js";
import type { UnitAccount } from "./targets.js";

/** Organizations pages hold at most 20 entries (ListAccountsForParent, ListChildren). */
const PAGE_SIZE = 20;

/** Active accounts of a unit and of every unit below it. */
export async function listUnitAccounts(organizations: OrganizationsClient, unitId: string): Promise<UnitAccount[]> {
  const accounts: UnitAccount[] = [];
  const pending = [unitId];
  while (pending.length > 0) {
    const parent = pending.shift()!;
    for await (const page of paginateListAccountsForParent({ client: organizations, pageSize: PAGE_SIZE }, { ParentId: parent })) {
      for (const account of page.Accounts ?? []) {
        if (account.Id && (account.State ?? account.Status) === "ACTIVE") accounts.push({ id: account.Id, name: account.Name ?? account.Id });
      }
    }
    for await (const page of paginateListChildren({ client: organizations, pageSize: PAGE_SIZE }, { ParentId: parent, ChildType: "ORGANIZATIONAL_UNIT" })) {
      for (const child of page.Children ?? []) if (child.Id) pending.push(child.Id);
    }
  }
  return accounts;
}

export interface UnitListing {
  readonly accounts: ReadonlyMap<string, readonly UnitAccount[]>;
  /** Units that could not be listed, and why; the run goes on with the accounts it knows. */
  readonly warnings: readonly string[];
}

/** Lists each unit; a unit that fails (access denied, unknown id) becomes a warning, not a failed run. */
export async function listUnits(organizations: OrganizationsClient, unitIds: readonly string[]): Promise<UnitListing> {
  const accounts = new Map<string, UnitAccount[]>();
  const warnings: string[] = [];
  for (const id of unitIds) {
    try {
      accounts.set(id, await listUnitAccounts(organizations, id));
    } catch (thrown) {
      const error = asError(thrown);
      warnings.push(`organizational unit ${id} could not be listed (${error.name}: ${error.message.slice(0, 200)}); its accounts were not checked`);
    }
  }
  return { accounts, warnings };
}
