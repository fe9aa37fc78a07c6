import { createHash } from "node:crypto";
import * as z from "zod/mini";
import type { Target } from "../../../contracts/compliance-model.js";
import type { FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { describeIssues } from "../../../contracts/zod-issues.js";
import type { ComplianceErrorName } from "../../../contracts/compliance-run.js";

/** The input a run is started with: the schedule sends `{}`, an operator may narrow it. */
export const runInputSchema = z.strictObject({
  /** Environments to collect; every environment when omitted. */
  environments: z.optional(z.array(z.string()).check(z.minLength(1))),
  /** List the accounts of the configured organizational units. @default true */
  includeOrganizationalUnits: z.optional(z.boolean()),
});
export type RunInput = z.output<typeof runInputSchema>;

export class InvalidRunInput extends Error {
  override readonly name: ComplianceErrorName = "InvalidRunInput";
}

export function parseRunInput(input: unknown, catalog: FleetCatalog): RunInput {
  const result = runInputSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new InvalidRunInput(`run input ${JSON.stringify(input)}: ${describeIssues(result.error.issues)}`);
  }
  const known = catalog.environments.map((e) => e.name);
  const unknown = (result.data.environments ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new InvalidRunInput(`unknown environment(s) ${unknown.map((n) => JSON.stringify(n)).join(", ")}; configured: ${known.join(", ")}`);
  return result.data;
}

/** An account found in an organizational unit. */
export interface UnitAccount {
  readonly id: string;
  readonly name: string;
}

/**
 * Every (account, region) of the chosen environments, configured accounts first, then accounts of
 * the organizational units that config does not already name (an account in two units counts once).
 */
export function resolveTargets(catalog: FleetCatalog, input: RunInput, unitAccounts: ReadonlyMap<string, readonly UnitAccount[]>): Target[] {
  const chosen = new Set(input.environments ?? catalog.environments.map((e) => e.name));
  const targets: Target[] = [];
  const seenAccounts = new Set(catalog.environments.flatMap((e) => e.accounts.map((a) => a.id)));
  for (const env of catalog.environments.filter((e) => chosen.has(e.name))) {
    for (const account of env.accounts) {
      for (const region of account.regions) targets.push({ accountId: account.id, accountName: account.name, environment: env.name, region, source: "config" });
    }
  }
  if (input.includeOrganizationalUnits !== false) {
    for (const unit of catalog.organizationalUnits.filter((u) => chosen.has(u.environment))) {
      for (const account of unitAccounts.get(unit.id) ?? []) {
        if (seenAccounts.has(account.id)) continue;
        seenAccounts.add(account.id);
        for (const region of unit.regions)
          targets.push({ accountId: account.id, accountName: account.name, environment: unit.environment, region, source: `ou:${unit.id}` });
      }
    }
  }
  return targets;
}

/** A short, stable id of a run (keys of its objects): its start time and a digest of the execution. */
export function runIdOf(executionArn: string, startedAt: string): string {
  const stamp = startedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${createHash("sha256").update(executionArn).digest("hex").slice(0, 8)}`;
}
