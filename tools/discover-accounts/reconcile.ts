import { deriveAccountName, uniqueNames } from "./names.js";
import type { OrganizationAccount } from "./organizations.js";

/** An account of the environment's list, as the configuration has it. */
export interface ConfiguredAccount {
  readonly name: string;
  readonly id: string;
}

export interface Reconciliation {
  /** The new list: configured accounts that stay, in their order, then the added ones by id. */
  readonly accounts: ReadonlyArray<ConfiguredAccount & { readonly isNew: boolean }>;
  readonly added: ReadonlyArray<{ readonly id: string; readonly name: string; readonly awsName: string }>;
  /** Configured, but not an active account of the OUs; dropped from the list only with `prune`. */
  readonly missing: ReadonlyArray<{ readonly id: string; readonly name: string; readonly reason: string; readonly pruned: boolean }>;
  /** Configured under a name other than the one its AWS name derives to; the configured name stays (it names the stack and its state). */
  readonly renamed: ReadonlyArray<{ readonly id: string; readonly name: string; readonly awsName: string; readonly derived: string }>;
  /** In the OUs, but not added. */
  readonly skipped: ReadonlyArray<{ readonly id: string; readonly awsName: string; readonly reason: string }>;
}

export interface ReconcileProps {
  readonly environment: string;
  readonly configured: readonly ConfiguredAccount[];
  /** Account id → environment, for every other environment (an account belongs to one). */
  readonly elsewhere: ReadonlyMap<string, string>;
  readonly discovered: readonly OrganizationAccount[];
  readonly prune: boolean;
}

/** Compares the environment's account list with the accounts AWS Organizations has in its OUs. */
export function reconcile(props: ReconcileProps): Reconciliation {
  const discovered = new Map(props.discovered.map((a) => [a.id, a]));
  const configuredIds = new Set(props.configured.map((a) => a.id));

  const missing = props.configured.flatMap((account) => {
    const found = discovered.get(account.id);
    if (found?.state === "ACTIVE") return [];
    const reason = found ? `${found.state} in AWS Organizations` : "not in the given OUs";
    return [{ id: account.id, name: account.name, reason, pruned: props.prune }];
  });
  const renamed = props.configured.flatMap((account) => {
    const found = discovered.get(account.id);
    if (found?.state !== "ACTIVE") return [];
    const derived = deriveAccountName(found.awsName, found.id);
    return derived === account.name ? [] : [{ id: account.id, name: account.name, awsName: found.awsName, derived }];
  });

  const skipped: Array<Reconciliation["skipped"][number]> = [];
  const candidates: OrganizationAccount[] = [];
  for (const account of props.discovered) {
    if (configuredIds.has(account.id)) continue;
    const other = props.elsewhere.get(account.id);
    if (other) skipped.push({ id: account.id, awsName: account.awsName, reason: `already in ${other}; an account belongs to one environment` });
    else if (account.state !== "ACTIVE") skipped.push({ id: account.id, awsName: account.awsName, reason: `${account.state}, not ACTIVE` });
    else candidates.push(account);
  }

  const kept = props.configured.filter((a) => !missing.some((m) => m.id === a.id && m.pruned));
  const names = uniqueNames(
    candidates.map((a) => ({ id: a.id, name: deriveAccountName(a.awsName, a.id) })),
    new Set(kept.map((a) => a.name)),
  );
  const added = candidates.map((a) => ({ id: a.id, name: names.get(a.id)!, awsName: a.awsName }));
  return {
    accounts: [...kept.map((a) => ({ name: a.name, id: a.id, isNew: false })), ...added.map((a) => ({ name: a.name, id: a.id, isNew: true }))],
    added,
    missing,
    renamed,
    skipped,
  };
}

export const hasChanges = (r: Reconciliation) => r.added.length > 0 || r.missing.some((m) => m.pruned);
