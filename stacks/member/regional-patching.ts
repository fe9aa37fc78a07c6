import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import {
  type AccountWave,
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
import { RegionalSafetyNets } from "./runbooks/regional.js";
import { safetyNets } from "../../environments/schema/safety-nets.js";

export { windowPatchGroups };

export interface RegionalPatchingProps {
  readonly org: Org;
  readonly environment: ConfiguredEnvironment;
  readonly accountId: string;
  readonly region: string;
  readonly serviceRole: { readonly arn: string };
  /** The roles of the install runbooks and of AWS Backup (account-wide, or the region stack's own), when the environment uses them. */
  readonly patchAutomation?: { readonly roleArn: string; readonly backupRoleArn?: string };
  /** The account's canary wave, which delays its windows. @default - the environment has no waves */
  readonly wave?: AccountWave;
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

    // change calendar, backup vault, restore runbook: docs/safety-nets.md
    const nets = safetyNets(org, environment);
    const safety = new RegionalSafetyNets(this, "SafetyNets", { environment: environment.name, nets, naming, provider });
    const installAutomation = (window: string) => {
      const roles = props.patchAutomation;
      if (!nets.runbookWindows.some((w) => w.name === window)) return undefined;
      if (!roles) throw new Error(`window ${window} of ${environment.name} runs the install runbook, but its stack gave no patch automation role`);
      return {
        runbookName: naming.installRunbook(window),
        roleArn: roles.roleArn,
        ...(safety.calendar ? { calendar: safety.calendar.name } : {}),
        ...(safety.vault && roles.backupRoleArn ? { backup: { vault: safety.vault.name, roleArn: roles.backupRoleArn } } : {}),
      };
    };

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
          installAutomation: installAutomation(window.name),
          wave: props.wave,
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
