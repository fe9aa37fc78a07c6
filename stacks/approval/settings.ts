import type { ApprovalTrigger } from "../../contracts/approval.js";
import type { PatchGroupsCommand } from "../../contracts/patch-command.js";
import type { ConfiguredEnvironment, EnvironmentApproval, Org, OrgConfig } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";
import { patchGroupCommands } from "../member/patch-commands.js";
import { safetyNets } from "../../environments/schema/safety-nets.js";

/**
 * What the approval state machine knows about one environment. The field names and units are the
 * config's (`environments/<env>.ts`, `approval`), so a plan diff of the definition reads like the
 * config change.
 */
export interface ApprovalSettings {
  readonly environment: string;
  readonly reminderIntervalHours: number;
  readonly reminderCount: number;
  readonly onNoResponse: EnvironmentApproval["onNoResponse"];
  /** Which missing patches ask (`approval.trigger`); null: every non-compliance asks. */
  readonly trigger: ApprovalTrigger | null;
  readonly backupBeforePatch: boolean;
  readonly backupTimeoutMinutes: number;
  /** For patch groups whose window only scans; the run replaces it with the chosen command's before it asks. */
  readonly rebootOption: EnvironmentApproval["rebootOption"];
  readonly patchTimeoutMinutes: number;
  /** The change calendar of the environment's freezes in its accounts (the install runbooks read it too); null: no freezes, no check. */
  readonly changeCalendar: string | null;
  /** While the calendar is CLOSED: wait until the freeze ends, or end with the outcome "frozen". */
  readonly duringFreeze: EnvironmentApproval["duringFreeze"];
  /** Per window: its patch groups and the command that patches them, as the window's install task does. */
  readonly patchCommands: readonly PatchGroupsCommand[];
}

/** One environment and whether (and how) the workflow serves its accounts (which the fleet catalog lists). */
export interface ApprovalScope {
  readonly environment: string;
  /** Undefined when the environment has no approval workflow: its events end without a request. */
  readonly settings?: ApprovalSettings;
}

export function approvalSettings(
  environment: ConfiguredEnvironment,
  approval: EnvironmentApproval,
  naming: Naming,
  // required: a default of no freezes would let a caller that forgets it drop the organization's freezes silently
  org: Pick<Org, "freezes">,
): ApprovalSettings {
  return {
    environment: environment.name,
    reminderIntervalHours: approval.reminderIntervalHours,
    reminderCount: approval.reminderCount,
    onNoResponse: approval.onNoResponse,
    trigger: approval.trigger ?? null,
    backupBeforePatch: approval.backupBeforePatch,
    backupTimeoutMinutes: approval.backupTimeoutMinutes,
    rebootOption: approval.rebootOption,
    patchTimeoutMinutes: approval.patchTimeoutMinutes,
    changeCalendar: safetyNets(org, environment).freezes.length > 0 ? naming.changeCalendar : null,
    duringFreeze: approval.duringFreeze,
    patchCommands: patchGroupCommands(environment, naming, approval.rebootOption),
  };
}

/** Every environment of the organization as the state machine sees it, in promotion order. */
export function approvalScopes(config: OrgConfig, naming: Naming): ApprovalScope[] {
  return config.environments.map((environment) => ({
    environment: environment.name,
    settings: environment.approval?.enabled ? approvalSettings(environment, environment.approval, naming, config.org) : undefined,
  }));
}

/** The patch documents the approval workflow may send in an environment's accounts (its access role allows exactly these). */
export function approvalPatchDocuments(environment: ConfiguredEnvironment, approval: EnvironmentApproval, naming: Naming): string[] {
  return [...new Set(patchGroupCommands(environment, naming, approval.rebootOption).map((c) => c.document))].sort();
}

/**
 * True when an environment uses the workflow (otherwise nothing of it is deployed), whether or not
 * it has member accounts yet: its first account must not change the central stack.
 */
export const approvalEnabledAnywhere = (config: OrgConfig): boolean => config.environments.some((e) => e.approval?.enabled === true);
