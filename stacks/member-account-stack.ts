import { StandaloneStack } from "./core/standalone-stack.js";
import { Construct } from "constructs";
import type { Account, Environment, Org } from "../environments/schema/index.js";
import { ApprovalAccessRole } from "./approval/access-role.js";
import { approvalPatchDocuments } from "./approval/settings.js";
import { ComplianceReaderRole } from "./member/compliance.js";
import { EventForwardingRole } from "./member/event-forwarding.js";
import { EmergencyPatchRole, emergencyPatchScope } from "./member/emergency-patch-role.js";
import { addAccountRegion } from "./member/account-region.js";
import { accountStackLayout } from "../contracts/stack-layout.js";
import { InstanceOutputPolicy } from "./member/instance-output-policy.js";
import { InstanceInstallListsPolicy } from "./member/instance-install-lists-policy.js";
import { MaintenanceWindowRole } from "./member/maintenance-window-role.js";
import { addSafetyNetRoles } from "./member/runbooks/account-roles.js";
import { safetyNets as safetyNetsOf } from "../environments/schema/safety-nets.js";
import type { RegionalPatching } from "./member/regional-patching.js";
import type { Naming } from "./naming.js";
import { configureBackend, createRegionProviders, type DeploymentMode } from "./providers.js";
import { stackTags } from "../contracts/tags.js";

export interface MemberAccountStackProps {
  readonly org: Org;
  readonly environment: Environment & { readonly name: string };
  readonly account: Account;
  readonly naming: Naming;
  readonly mode: DeploymentMode;
}

/**
 * Stack (2): one member account of one environment, with a provider per region: the account-wide
 * roles and policies (for all its regions) and its first `org.maxRegionsPerStack` regions; further
 * regions each have a MemberRegionStack.
 */
export class MemberAccountStack extends StandaloneStack {
  /** The regions this stack renders. */
  readonly regions: readonly string[];
  readonly regional: ReadonlyMap<string, RegionalPatching>;

  constructor(scope: Construct, name: string, props: MemberAccountStackProps) {
    super(scope, name);
    const { org, environment, account, naming, mode } = props;
    const allRegions = account.regions ?? environment.regions;
    this.regions = accountStackLayout(allRegions, org.maxRegionsPerStack).accountStackRegions;
    configureBackend(this, name, org.stateBackend, mode);
    const providers = createRegionProviders(this, {
      accountId: account.id,
      regions: this.regions,
      naming,
      tags: stackTags(org, name, environment.name),
      mode,
    });
    // IAM is global: the account-wide resources live with the first region's provider.
    const home = providers.get(this.regions[0]!)!;

    const accountScope = new Construct(this, "Account");
    // backups before install, restore, change freezes (docs/safety-nets.md)
    const safetyNets = addSafetyNetRoles(accountScope, {
      org,
      environment,
      accountId: account.id,
      regions: this.regions,
      accountRegions: allRegions,
      windowRoleName: naming.maintenanceWindowRole,
      naming,
      provider: home,
    });
    const role = new MaintenanceWindowRole(accountScope, "MaintenanceWindowRole", {
      accountId: account.id,
      regions: this.regions,
      naming,
      provider: home,
      automation: safetyNets.windowAutomation,
    });
    new InstanceOutputPolicy(accountScope, "InstanceOutputPolicy", {
      environment: environment.name,
      accountId: account.id,
      regions: allRegions,
      naming,
      provider: home,
    });
    new InstanceInstallListsPolicy(accountScope, "InstanceInstallListsPolicy", { environment: environment.name, naming, provider: home });
    const forwardingRole = new EventForwardingRole(accountScope, "EventForwardingRole", { accountId: account.id, naming, provider: home });
    if (environment.approval?.enabled) {
      new ApprovalAccessRole(accountScope, "ApprovalAccessRole", {
        accountId: account.id,
        regions: allRegions,
        organizationId: org.organizationId,
        documents: approvalPatchDocuments(environment, environment.approval, naming),
        ...(safetyNetsOf(org, environment).freezes.length > 0 ? { changeCalendar: naming.changeCalendar } : {}),
        naming,
        provider: home,
      });
    }
    const emergencyScope = emergencyPatchScope(environment, naming);
    if (emergencyScope) {
      new EmergencyPatchRole(accountScope, "EmergencyPatchRole", {
        accountId: account.id,
        regions: allRegions,
        organizationId: org.organizationId,
        scope: emergencyScope,
        patchGroupTagKey: org.patchGroupTagKey,
        naming,
        provider: home,
      });
    }
    new ComplianceReaderRole(accountScope, "ComplianceReaderRole", {
      accountId: account.id,
      regions: allRegions,
      organizationId: org.organizationId,
      naming,
      provider: home,
    });

    const regional = new Map<string, RegionalPatching>();
    for (const region of this.regions) {
      const provider = providers.get(region)!;
      regional.set(
        region,
        addAccountRegion(this, {
          org,
          environment,
          account,
          region,
          naming,
          provider,
          maintenanceWindowRole: role.role,
          forwardingRole: forwardingRole.role,
          patchAutomation: safetyNets.patchAutomation,
        }),
      );
    }
    this.regional = regional;
  }
}
