import * as z from "zod/mini";
import { ApprovalErrors, InstanceActions } from "../../../contracts/approval.js";
import type { FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { memberTarget } from "../shared/member-target.js";

/** Which environment an event's account belongs to: asked before any member role is assumed. */
export const resolveAccountInput = z.object({ action: z.literal(InstanceActions.resolveAccount), account: memberTarget.account, region: memberTarget.region });
export type ResolveAccountInput = z.infer<typeof resolveAccountInput>;

/** The account is in no configured environment, or not configured in the event's region: nobody is asked. */
export class AccountNotConfigured extends Error {
  override readonly name = ApprovalErrors.accountNotConfigured;
}

/**
 * The environment of the event's account, from the fleet catalog (Terraform writes it from the
 * config): the account must be a member account of an environment, and the region one of that
 * account's. The catalog is data, so adding an account changes no definition or policy; the member
 * role the later steps assume is built from this same account, so an account acts only for itself.
 */
export function resolveAccount(input: ResolveAccountInput, catalog: FleetCatalog): { readonly environment: string } {
  for (const environment of catalog.environments) {
    const account = environment.accounts.find((a) => a.id === input.account);
    if (!account) continue;
    if (account.regions.includes(input.region)) return { environment: environment.name };
    throw new AccountNotConfigured(
      `account ${input.account} (${environment.name}) is not configured in ${input.region}; its regions are ${account.regions.join(", ")}`,
    );
  }
  throw new AccountNotConfigured(`account ${input.account} is no member account of a configured environment`);
}
