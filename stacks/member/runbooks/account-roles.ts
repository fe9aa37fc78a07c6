import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { Environment, Org } from "../../../environments/schema/index.js";
import type { Naming } from "../../naming.js";
import type { WindowAutomation } from "../maintenance-window-role.js";
import { RestoreRoles } from "./restore-roles.js";
import { PatchAutomationRoles } from "./roles.js";
import { safetyNets, usesRunbooks } from "../../../environments/schema/safety-nets.js";

export interface SafetyNetRolesProps {
  readonly org: Org;
  readonly environment: Environment & { readonly name: string };
  readonly accountId: string;
  /** The regions of the stack (its install runbooks). */
  readonly regions: readonly string[];
  /** Every region of the account, for the account-wide restore roles; none: a region's own stack (no restore roles there). */
  readonly accountRegions?: readonly string[];
  /** A region in a stack of its own names its roles after the region. */
  readonly region?: string;
  readonly windowRoleName: string;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/** What the windows' role and the regions need from the safety-net roles. */
export interface SafetyNetRoles {
  readonly windowAutomation?: WindowAutomation;
  readonly patchAutomation?: { readonly roleArn: string; readonly backupRoleArn?: string };
}

/**
 * The roles of a member stack's safety nets, when its environment uses them: the install runbooks'
 * role and AWS Backup's (per stack, like the windows' role), and in the account's own stack the
 * restore roles (account-wide: a region in a stack of its own uses them by name).
 */
export function addSafetyNetRoles(scope: Construct, props: SafetyNetRolesProps): SafetyNetRoles {
  const { org, environment, naming, accountId } = props;
  const nets = safetyNets(org, environment);
  if (!usesRunbooks(nets)) return {};
  const roleName = naming.patchAutomationRole(props.region);
  const roles = new PatchAutomationRoles(scope, "PatchAutomation", {
    scope: { accountId, regions: props.regions, nets, windowRoleName: props.windowRoleName, backupRoleName: naming.backupServiceRole(props.region) },
    roleName,
    naming,
    provider: props.provider,
  });
  if (nets.backups && props.accountRegions)
    new RestoreRoles(scope, "Restore", {
      accountId,
      regions: props.accountRegions,
      operatorRoleArns: org.restoreOperatorRoleArns,
      organizationId: org.organizationId,
      naming,
      provider: props.provider,
    });
  return {
    windowAutomation: { automationRoleName: roleName },
    patchAutomation: { roleArn: roles.automation.arn, ...(roles.backup ? { backupRoleArn: roles.backup.arn } : {}) },
  };
}
