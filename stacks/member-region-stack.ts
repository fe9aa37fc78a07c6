import { Construct } from "constructs";
import { StandaloneStack } from "./core/standalone-stack.js";
import { addAccountRegion } from "./member/account-region.js";
import { EventForwardingRole } from "./member/event-forwarding.js";
import { MaintenanceWindowRole } from "./member/maintenance-window-role.js";
import { addSafetyNetRoles } from "./member/runbooks/account-roles.js";
import type { RegionalPatching } from "./member/regional-patching.js";
import type { MemberAccountStackProps } from "./member-account-stack.js";
import { configureBackend, createRegionProviders } from "./providers.js";
import { stackTags } from "../contracts/tags.js";

export interface MemberRegionStackProps extends MemberAccountStackProps {
  readonly region: string;
}

/**
 * Stack (3): one region of a member account in more regions than `org.maxRegionsPerStack`
 * (contracts/stack-layout.ts), with that region's provider only. It references nothing in the
 * account's stack: its windows and forwarding rules use roles of its own, named after the region,
 * so it plans, deploys and is destroyed on its own.
 */
export class MemberRegionStack extends StandaloneStack {
  readonly regional: RegionalPatching;

  constructor(scope: Construct, name: string, props: MemberRegionStackProps) {
    super(scope, name);
    const { org, environment, account, region, naming, mode } = props;
    configureBackend(this, name, org.stateBackend, mode);
    const provider = createRegionProviders(this, { accountId: account.id, regions: [region], naming, tags: stackTags(org, name, environment.name), mode }).get(
      region,
    )!;
    const accountScope = new Construct(this, "Account");
    // the install runbooks' own roles; the restore roles are the account stack's (account-wide)
    const safetyNets = addSafetyNetRoles(accountScope, {
      org,
      environment,
      accountId: account.id,
      regions: [region],
      region,
      windowRoleName: naming.regionMaintenanceWindowRole(region),
      naming,
      provider,
    });
    const windowsRole = new MaintenanceWindowRole(accountScope, "MaintenanceWindowRole", {
      accountId: account.id,
      regions: [region],
      naming,
      provider,
      roleName: naming.regionMaintenanceWindowRole(region),
      automation: safetyNets.windowAutomation,
    });
    const forwardingRole = new EventForwardingRole(accountScope, "EventForwardingRole", {
      accountId: account.id,
      naming,
      provider,
      roleName: naming.regionEventForwardingRole(region),
    });
    this.regional = addAccountRegion(this, {
      org,
      environment,
      account,
      region,
      naming,
      provider,
      maintenanceWindowRole: windowsRole.role,
      forwardingRole: forwardingRole.role,
      patchAutomation: safetyNets.patchAutomation,
    });
  }
}
