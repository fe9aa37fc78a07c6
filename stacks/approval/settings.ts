import type { EnvironmentApproval, OrgConfig } from "../../environments/schema/index.js";

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
  readonly backupBeforePatch: boolean;
  readonly backupTimeoutMinutes: number;
  readonly rebootOption: EnvironmentApproval["rebootOption"];
  readonly patchTimeoutMinutes: number;
}

/** One environment and whether (and how) the workflow serves its accounts (which the fleet catalog lists). */
export interface ApprovalScope {
  readonly environment: string;
  /** Undefined when the environment has no approval workflow: its events end without a request. */
  readonly settings?: ApprovalSettings;
}

export function approvalSettings(environment: string, approval: EnvironmentApproval): ApprovalSettings {
  return {
    environment,
    reminderIntervalHours: approval.reminderIntervalHours,
    reminderCount: approval.reminderCount,
    onNoResponse: approval.onNoResponse,
    backupBeforePatch: approval.backupBeforePatch,
    backupTimeoutMinutes: approval.backupTimeoutMinutes,
    rebootOption: approval.rebootOption,
    patchTimeoutMinutes: approval.patchTimeoutMinutes,
  };
}

/** Every environment of the organization as the state machine sees it, in promotion order. */
export function approvalScopes(config: OrgConfig): ApprovalScope[] {
  return config.environments.map((environment) => ({
    environment: environment.name,
    settings: environment.approval?.enabled ? approvalSettings(environment.name, environment.approval) : undefined,
  }));
}

/**
 * True when an environment uses the workflow (otherwise nothing of it is deployed), whether or not
 * it has member accounts yet: its first account must not change the central stack.
 */
export const approvalEnabledAnywhere = (config: OrgConfig): boolean => config.environments.some((e) => e.approval?.enabled === true);
