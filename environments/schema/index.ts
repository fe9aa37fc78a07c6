import { z } from "zod";
import { environmentSchema, type Environment } from "./environment.js";
import { checkInvariants, type OrgConfigInput } from "./invariants.js";
import { builtInMessage, ConfigError, formatPath } from "./messages.js";
import { orgSchema, type Org } from "./org.js";
import { environmentName } from "./primitives.js";
import { checkPromotionRecords, checkPromotionRetention } from "./promotion-records.js";
import type { PromotionRecord } from "../../contracts/promotion-record.js";

export const orgConfigSchema = z.strictObject({
  org: orgSchema,
  environments: z.record(environmentName, environmentSchema),
  /** Promotion records by environment (environments/promotions/*.json), checked after the rest. */
  promotions: z.record(z.string(), z.unknown()).optional(),
});

/** An environment as the stacks and tools use it: validated, named, with its checked promotion record. */
export type ConfiguredEnvironment = Environment & {
  readonly name: string;
  /** The record its baselines are rendered from, when it has a promotion and a record. */
  readonly promotionRecord?: PromotionRecord;
};

export interface OrgConfig {
  readonly org: Org;
  /** Environments in promotion order. */
  readonly environments: ReadonlyArray<ConfiguredEnvironment>;
}

export interface ParseOptions {
  /** The time promotion records' age is measured at. @default now */
  readonly now?: Date;
}

/** Config paths start at the environment name (`prod.accounts[1].id`), as users write them. */
function userPath(path: ReadonlyArray<PropertyKey>): string {
  return formatPath(path[0] === "environments" ? path.slice(1) : path);
}

/**
 * Validates the whole organization config. Every problem (field checks and cross-field invariants)
 * is collected and thrown together as a ConfigError; nothing is returned half-valid.
 */
export function parseOrgConfig(input: OrgConfigInput, options: ParseOptions = {}): OrgConfig {
  const result = orgConfigSchema.safeParse(input, { error: (issue) => builtInMessage(issue) });
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${userPath(issue.path)}: ${issue.message}`);
  }
  for (const problem of checkInvariants(input)) problems.push(`${userPath(problem.path)}: ${problem.message}`);
  if (!result.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);

  const { org, environments } = result.data;
  const ordered = org.promotionOrder.map((name) => ({ ...environments[name]!, name }));
  // records are checked against the settings as parsed (defaults applied), so only after the rest is valid
  const retention = checkPromotionRetention(org, ordered);
  if (retention.length > 0) throw new ConfigError(retention);
  const checked = checkPromotionRecords(org, ordered, input.promotions ?? {}, options.now ?? new Date());
  if (checked.problems.length > 0) throw new ConfigError(checked.problems);
  return {
    org,
    environments: ordered.map((env) => {
      const record = checked.records.get(env.name);
      return record ? { ...env, promotionRecord: record } : env;
    }),
  };
}

export { ConfigError } from "./messages.js";
export type { OrgConfigInput } from "./input.js";
export type { Org, OrgInput } from "./org.js";
export type { Account, Environment, EnvironmentInput, PatchGroup } from "./environment.js";
export type { MaintenanceWindow, InstallTask, InstallBackup, ScanTask } from "./maintenance-window.js";
export type { FreezeConfig } from "./freezes.js";
export type { EnvironmentApproval, OnNoResponse, OrgApproval } from "./approval.js";
export type { Channel, ChannelType, ComplianceSettings, EnvironmentCompliance, OrganizationalUnit } from "./compliance.js";
export { defaultQuickSightServiceRole, type QuickSightSettings } from "./quicksight.js";
export type { ApprovalRule, BaselineDefinition, HookDocument, OperatingSystem, Platform } from "./patching.js";
export { operatingSystems, platformOf, hookPlatforms } from "./patching.js";
export { isCron } from "./primitives.js";
export { accountWave, wavesOf, type AccountWave, type Wave } from "./waves.js";
export { ownerEmailDomains } from "./owner-mail-domains.js";
export type { Promotion } from "./promotion.js";
export {
  cutoffApplies,
  describeRuleApproval,
  environmentRejectedPatches,
  installsExactly,
  rejectedPatches,
  ruleApproval,
  ruleApprovalFor,
  readPromotionRecords,
  MAX_REJECTED_PATCHES,
  type RuleApproval,
} from "./promotion-records.js";
