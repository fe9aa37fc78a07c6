import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import {
  cutoffApplies,
  environmentRejectedPatches,
  ruleApprovalFor,
  type ConfiguredEnvironment,
  type Environment,
  type HookDocument,
  type OperatingSystem,
  type Org,
} from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";
import { HookDocuments } from "./hook-documents.js";
import { PatchMaintenanceWindow } from "./maintenance-window.js";
import { PatchBaselines } from "./patch-baselines.js";
import { PatchCommandChannels } from "./patch-command-channels.js";
import { installOverrideListOf, windowPatchGroups } from "./patch-commands.js";

export { windowPatchGroups };

export interface RegionalPatchingProps {
  readonly org: Org;
  readonly environment: ConfiguredEnvironment;
  readonly accountId: string;
  readonly region: string;
  readonly serviceRole: { readonly arn: string };
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/** Everything Patch Manager needs in one region of a member account: baselines, hooks, output channels, windows. */
export class RegionalPatching extends Construct {
  readonly baselines: PatchBaselines;
  readonly windows: ReadonlyMap<string, PatchMaintenanceWindow>;

  constructor(scope: Construct, id: string, props: RegionalPatchingProps) {
    super(scope, id);
    const { org, environment, naming, provider } = props;

    this.baselines = new PatchBaselines(this, "Baselines", {
      environment: environment.name,
      definitions: org.baselines,
      approval: (os) => ({
        rule: ruleApprovalFor(environment, environment.promotionRecord, os),
        promotedFrom: cutoffApplies(environment.promotionRecord, os) ? environment.promotionRecord?.from : undefined,
      }),
      approvedPatches: environment.approvedPatches,
      rejectedPatches: Object.fromEntries(
        operatingSystemsOf(environment).map((os) => [os, environmentRejectedPatches(environment, os, environment.promotionRecord)]),
      ),
      patchGroups: environment.patchGroups,
      registerAsDefault: environment.registerDefaultBaselines,
      naming,
      provider,
    });

    const hooks = new HookDocuments(this, "HookDocuments", { documents: referencedHookDocuments(org, environment), provider });
    const channels = new PatchCommandChannels(this, "CommandChannels", {
      naming,
      logRetentionDays: org.logs.logGroupRetentionDays,
      emailSubscribers: environment.runCommandNotifications.emailSubscribers,
      provider,
    });

    const windows = new Map<string, PatchMaintenanceWindow>();
    const windowsScope = new Construct(this, "MaintenanceWindows");
    for (const window of environment.maintenanceWindows) {
      windows.set(
        window.name,
        new PatchMaintenanceWindow(windowsScope, window.name, {
          window,
          patchGroups: windowPatchGroups(environment, window.name),
          patchGroupTagKey: org.patchGroupTagKey,
          serviceRole: props.serviceRole,
          output: { bucketName: naming.logBucket, keyPrefix: naming.runCommandOutputPrefix(environment.name, props.accountId, props.region) },
          logGroup: channels.logGroup,
          notifications: { topicArn: channels.topic.arn, events: environment.runCommandNotifications.events },
          hookDocuments: hooks.documents,
          installOverrideList: installOverrideListOf(environment, naming),
          provider,
        }),
      );
    }
    this.windows = windows;
  }
}

/** The operating systems the environment's patch groups run: each gets a baseline. */
const operatingSystemsOf = (environment: ConfiguredEnvironment): OperatingSystem[] => [...new Set(environment.patchGroups.flatMap((g) => g.operatingSystems))];

/** The hook documents the environment's windows use, in config order. */
export function referencedHookDocuments(org: Org, environment: Environment): HookDocument[] {
  const names = new Set(environment.maintenanceWindows.flatMap((w) => Object.values(w.install?.hooks ?? {}).filter((n): n is string => n !== undefined)));
  return org.hookDocuments.filter((doc) => names.has(doc.name));
}
