import { paginateListAccountsForParent, paginateListOrganizationalUnitsForParent, type OrganizationsClient } from "@aws-sdk/client-organizations";

/** An account as AWS Organizations lists it. */
export interface OrganizationAccount {
  readonly id: string;
  /** The account's name in AWS Organizations (free text). */
  readonly awsName: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, ... (`State`, or the older `Status`). */
  readonly state: string;
  /** The OU (or root) it was found in. */
  readonly parentId: string;
}

/** ListAccountsForParent and ListOrganizationalUnitsForParent accept at most 20 per page. */
const PAGE_SIZE = 20;

const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";
}

export function checkParentId(id: string): void {
  if (!PARENT_ID.test(id))
    throw new DiscoveryError(`--ou: ${JSON.stringify(id)} is not an organizational unit id ("ou-ab12-cd34ef56") or a root id ("r-ab12")`);
}

/** What an Organizations error means for the user, by its name. */
function explain(error: unknown, parentId: string): Error {
  const name = (error as { name?: string }).name;
  if (name === "ParentNotFoundException") return new DiscoveryError(`${parentId}: no such organizational unit or root in this organization`);
  if (name === "AccessDeniedException") {
    return new DiscoveryError(
      `${parentId}: access denied; run with credentials of the management account or a delegated administrator allowed organizations:ListAccountsForParent and organizations:ListOrganizationalUnitsForParent`,
    );
  }
  if (name === "AWSOrganizationsNotInUseException") return new DiscoveryError("these credentials' account is not in an AWS Organization");
  return error as Error;
}

async function* accountsOf(client: OrganizationsClient, parentId: string): AsyncGenerator<OrganizationAccount> {
  for await (const page of paginateListAccountsForParent({ client, pageSize: PAGE_SIZE }, { ParentId: parentId })) {
    for (const account of page.Accounts ?? []) {
      if (!account.Id) continue;
      yield { id: account.Id, awsName: account.Name ?? "", state: account.State ?? account.Status ?? "UNKNOWN", parentId };
    }
  }
}

async function childOus(client: OrganizationsClient, parentId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateListOrganizationalUnitsForParent({ client, pageSize: PAGE_SIZE }, { ParentId: parentId })) {
    for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) ids.push(ou.Id);
  }
  return ids.sort();
}

/**
 * The accounts directly in the given OUs (or roots), and with `recursive` in every OU below them,
 * each account once, ordered by id. Calls run one after another: Organizations throttles at a few
 * requests per second, and the SDK retries throttled calls.
 */
export async function listAccounts(client: OrganizationsClient, parentIds: readonly string[], recursive: boolean): Promise<OrganizationAccount[]> {
  parentIds.forEach(checkParentId);
  const found = new Map<string, OrganizationAccount>();
  const queue = [...new Set(parentIds)];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const parentId = queue.shift()!;
    if (visited.has(parentId)) continue;
    visited.add(parentId);
    try {
      for await (const account of accountsOf(client, parentId)) if (!found.has(account.id)) found.set(account.id, account);
      if (recursive) queue.push(...(await childOus(client, parentId)));
    } catch (error) {
      throw explain(error, parentId);
    }
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}
