import { z } from "zod";
import { environmentSchema, type Environment } from "./environment.js";
import { checkInvariants, type OrgConfigInput } from "./invariants.js";
import { builtInMessage, ConfigError, formatPath } from "./messages.js";
import { orgSchema, type Org } from "./org.js";
import { environmentName } from "./primitives.js";

export const orgConfigSchema = z.strictObject({
  org: orgSchema,
  environments: z.record(environmentName, environmentSchema),
});

export interface OrgConfig {
  readonly org: Org;
  /** Environments in promotion order. */
  readonly environments: ReadonlyArray<Environment & { readonly name: string }>;
}

/** Config paths start at the environment name (`prod.accounts[1].id`), as users write them. */
function userPath(path: ReadonlyArray<PropertyKey>): string {
  return formatPath(path[0] === "environments" ? path.slice(1) : path);
}

/**
 * Validates the whole organization config. Every problem (field checks and cross-field invariants)
 * is collected and thrown together as a ConfigError; nothing is returned half-valid.
 */
export function parseOrgConfig(input: OrgConfigInput): OrgConfig {
  const result = orgConfigSchema.safeParse(input, { error: (issue) => builtInMessage(issue) });
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${userPath(issue.path)}: ${issue.message}`);
  }
  for (const problem of checkInvariants(input)) problems.push(`${userPath(problem.path)}: ${problem.message}`);
  const unique = [...new Set(problems)];
  if (unique.length > 0 || !result.success) throw new ConfigError(unique);

  const { org, environments } = result.data;
  return {
    org,
    environments: org.promotionOrder.map((name) => ({ ...environments[name]!, name })),
  };
}

export { ConfigError } from "./messages.js";
export type { OrgConfigInput } from "./input.js";
export type { Org, OrgInput } from "./org.js";
export type { Account, Environment, EnvironmentInput, PatchGroup } from "./environment.js";
export type { MaintenanceWindow, InstallTask, ScanTask } from "./maintenance-window.js";
export type { EnvironmentApproval, OnNoResponse, OrgApproval } from "./approval.js";
export type { Channel, ChannelType, ComplianceSettings, EnvironmentCompliance, OrganizationalUnit } from "./compliance.js";
export type { ApprovalRule, BaselineDefinition, HookDocument, OperatingSystem, Platform } from "./patching.js";
export { operatingSystems, platformOf, hookPlatforms } from "./patching.js";
export { isCron } from "./primitives.js";
export { ownerEmailDomains } from "./owner-mail-domains.js";
