import { StandaloneStack } from "./core/standalone-stack.js";
import { Construct } from "constructs";
import type { Account, Environment, Org } from "../environments/schema/index.js";
import { ApprovalAccessRole } from "./approval/access-role.js";
import { ComplianceDataSync, ComplianceReaderRole, CoverageRules } from "./member/compliance.js";
import { EventForwarding, EventForwardingRole } from "./member/event-forwarding.js";
import { InstanceOutputPolicy } from "./member/instance-output-policy.js";
import { MaintenanceWindowRole } from "./member/maintenance-window-role.js";
import { RegionalPatching } from "./member/regional-patching.js";
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

/** Stack (2): one member account of one environment, with a provider per region. */
export class MemberAccountStack extends StandaloneStack {
  readonly regions: readonly string[];
  readonly regional: ReadonlyMap<string, RegionalPatching>;

  constructor(scope: Construct, name: string, props: MemberAccountStackProps) {
    super(scope, name);
    const { org, environment, account, naming, mode } = props;
    this.regions = account.regions ?? environment.regions;
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
    const role = new MaintenanceWindowRole(accountScope, "MaintenanceWindowRole", { accountId: account.id, regions: this.regions, naming, provider: home });
    new InstanceOutputPolicy(accountScope, "InstanceOutputPolicy", {
      environment: environment.name,
      accountId: account.id,
      regions: this.regions,
      naming,
      provider: home,
    });
    const forwardingRole = new EventForwardingRole(accountScope, "EventForwardingRole", { accountId: account.id, naming, provider: home });
    if (environment.approval?.enabled) {
      new ApprovalAccessRole(accountScope, "ApprovalAccessRole", {
        accountId: account.id,
        regions: this.regions,
        organizationId: org.organizationId,
        naming,
        provider: home,
      });
    }
    new ComplianceReaderRole(accountScope, "ComplianceReaderRole", {
      accountId: account.id,
      regions: this.regions,
      organizationId: org.organizationId,
      naming,
      provider: home,
    });

    const regional = new Map<string, RegionalPatching>();
    for (const region of this.regions) {
      const provider = providers.get(region)!;
      const patching = new RegionalPatching(this, region, { org, environment, accountId: account.id, region, serviceRole: role.role, naming, provider });
      new EventForwarding(patching, "EventForwarding", { role: forwardingRole.role, naming, provider });
      new ComplianceDataSync(patching, "ComplianceDataSync", { naming, centralRegion: org.central.region, provider });
      if (environment.compliance.tagCompliance)
        new CoverageRules(patching, "CoverageRules", { environment, patchGroupTagKey: org.patchGroupTagKey, naming, provider });
      regional.set(region, patching);
    }
    this.regional = regional;
  }
}
