import { formatPath } from "../../environments/schema/messages.js";

/** One problem line of `parseOrgConfig`'s kind: where in the config, and what is wrong. */
export interface LimitProblem {
  /** Config path as users write it (`prod.accounts[3]`, `org.hookDocuments[0]`). */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export const problemLine = (problem: LimitProblem): string => `${formatPath(problem.path)}: ${problem.message}`;

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
