import type { Account, OrgConfig } from "../../environments/schema/index.js";
import { accountStackLayout } from "../../contracts/stack-layout.js";
import { Naming } from "../naming.js";

/** A member account's stack, or the stack of one of its regions (contracts/stack-layout.ts). */
export interface MemberStackEntry {
  readonly name: string;
  readonly environment: OrgConfig["environments"][number];
  readonly account: Account;
  /** Set for a region's own stack. */
  readonly region?: string;
}

/** Every member stack in construction order: each account's stack, then its region stacks. */
export function memberStackEntries(config: OrgConfig): MemberStackEntry[] {
  const naming = new Naming(config.org);
  return config.environments.flatMap((environment) =>
    environment.accounts.flatMap((account) => [
      { name: naming.memberStack(environment.name, account), environment, account },
      ...accountStackLayout(account.regions ?? environment.regions, config.org.maxRegionsPerStack).regionStacks.map((region) => ({
        name: naming.regionStack(environment.name, account, region),
        environment,
        account,
        region,
      })),
    ]),
  );
}
