import type { STSClient } from "@aws-sdk/client-sts";
import { mapWithConcurrency } from "../../shared/concurrency.js";
import { asError } from "../../shared/errors.js";
import { readerRoleArn, type FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { unreachableReason, type MemberReadClientFactory } from "../shared/member-access.js";
import { assumeMemberRole } from "../../shared/member-role.js";
import type { DueNotice } from "./due.js";
import { windowInstances } from "./instances.js";
import type { AccountInstances } from "./notice.js";

export interface LookupDeps {
  readonly sts: STSClient;
  readonly clientsFor: MemberReadClientFactory<"ec2">;
  readonly catalog: FleetCatalog;
}

/**
 * The instances a window run will patch in every account and region it covers (its wave's), read
 * through each member's reader role. An account that cannot be read is named in the notice rather
 * than holding back the notice for the others.
 */
export async function lookupWindowInstances(deps: LookupDeps, notice: DueNotice): Promise<AccountInstances[]> {
  const targets = notice.accounts.flatMap((account) => account.regions.map((region) => ({ account, region })));
  return mapWithConcurrency(targets, 8, async ({ account, region }): Promise<AccountInstances> => {
    const base = { accountId: account.id, accountName: account.name, region };
    try {
      const credentials = await assumeMemberRole(deps.sts, readerRoleArn(deps.catalog, account.id), `patchline-notice-${notice.window.name}`);
      return { ...base, instances: await windowInstances(deps.clientsFor(credentials, region), notice.window.patchGroups, deps.catalog) };
    } catch (thrown) {
      const error = asError(thrown);
      return { ...base, instances: [], unreachable: unreachableReason(error, "reading its instances") ?? `${error.name}: ${error.message.slice(0, 200)}` };
    }
  });
}
