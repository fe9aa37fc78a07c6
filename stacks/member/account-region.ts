import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { accountWave, type Account, type Environment, type Org } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";
import { ComplianceDataSync, CoverageRules } from "./compliance.js";
import { EventForwarding } from "./event-forwarding.js";
import { RegionalPatching } from "./regional-patching.js";

export interface AccountRegionProps {
  readonly org: Org;
  readonly environment: Environment & { readonly name: string };
  readonly account: Account;
  readonly region: string;
  readonly naming: Naming;
  readonly provider: AwsProvider;
  /** The role the region's maintenance windows run their tasks with. */
  readonly maintenanceWindowRole: { readonly arn: string };
  /** The role the region's rules forward patching events to the central bus with. */
  readonly forwardingRole: { readonly arn: string };
  /** The roles of the install runbooks and of AWS Backup, when the environment's windows use them. */
  readonly patchAutomation?: { readonly roleArn: string; readonly backupRoleArn?: string };
}

/**
 * One region of a member account: patching (baselines, hooks, windows), event forwarding, the
 * compliance data sync and, where the environment wants them, the coverage rules. The same
 * construct path in the account's stack and in a region's own stack, so its resources keep their
 * addresses when a region moves between them (a `terraform state mv` between the two states).
 */
export function addAccountRegion(scope: Construct, props: AccountRegionProps): RegionalPatching {
  const { org, environment, account, region, naming, provider } = props;
  const patching = new RegionalPatching(scope, region, {
    org,
    environment,
    accountId: account.id,
    region,
    serviceRole: props.maintenanceWindowRole,
    patchAutomation: props.patchAutomation,
    // waves are per account: every region of the account, in whichever stack it is rendered, runs in the account's wave
    wave: accountWave(environment, account),
    naming,
    provider,
  });
  new EventForwarding(patching, "EventForwarding", { role: props.forwardingRole, naming, provider });
  new ComplianceDataSync(patching, "ComplianceDataSync", { naming, centralRegion: org.central.region, provider });
  if (environment.compliance.tagCompliance)
    new CoverageRules(patching, "CoverageRules", { environment, patchGroupTagKey: org.patchGroupTagKey, naming, provider });
  return patching;
}
