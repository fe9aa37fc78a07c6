import type { Account, OrgConfig } from "../../environments/schema/index.js";
import { formatPath } from "../../environments/schema/messages.js";

/** One problem line of `parseOrgConfig`'s kind: where in the config, and what is wrong. */
export interface LimitProblem {
  /** Config path as users write it (`prod.accounts[3]`, `org.hookDocuments[0]`). */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export const problemLine = (problem: LimitProblem): string => `${formatPath(problem.path)}: ${problem.message}`;

/** A member account where the config lists it. */
export interface AccountEntry {
  readonly environment: string;
  readonly index: number;
  readonly account: Account;
  readonly regions: readonly string[];
}

/** Every member account in config order: environments in promotion order, accounts as listed. */
export function accountsInOrder(config: OrgConfig): AccountEntry[] {
  return config.environments.flatMap((env) =>
    env.accounts.map((account, index) => ({ environment: env.name, index, account, regions: account.regions ?? env.regions })),
  );
}

export const accountPath = (entry: AccountEntry): ReadonlyArray<string | number> => [entry.environment, "accounts", entry.index];

/**
 * The smallest `n` in 1..total for which `fits(n)` is false, for a measure that only grows with n
 * (`fits(total)` is known to be false). Binary search: a few renderings, not one per account.
 */
export function firstThatDoesNotFit(total: number, fits: (n: number) => boolean): number {
  let low = 1;
  let high = total;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}
