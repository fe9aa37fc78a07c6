import { SsmDefaultPatchBaseline } from "@cdktf/provider-aws/lib/ssm-default-patch-baseline";
import { SsmPatchBaseline } from "@cdktf/provider-aws/lib/ssm-patch-baseline";
import { SsmPatchGroup } from "@cdktf/provider-aws/lib/ssm-patch-group";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import {
  describeRuleApproval,
  platformOf,
  type BaselineDefinition,
  type OperatingSystem,
  type PatchGroup,
  type RuleApproval,
} from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";

export interface PatchBaselinesProps {
  readonly environment: string;
  /** Baseline template per OS (org.baselines). */
  readonly definitions: Partial<Record<OperatingSystem, BaselineDefinition>>;
  /**
   * How the approval rules of an operating system's baseline approve by date: the environment's
   * stagger (days after release), its approve-until date, or the cut-off of its promotion record,
   * with the environment it promotes from, named in the baseline's description.
   */
  readonly approval: (os: OperatingSystem) => { readonly rule: RuleApproval; readonly promotedFrom?: string };
  /** Patches approved / rejected in this environment on top of the template (rejected: with those its promotion holds back). */
  readonly approvedPatches: Partial<Record<OperatingSystem, readonly string[]>>;
  readonly rejectedPatches: Partial<Record<OperatingSystem, readonly string[]>>;
  /** Each group is registered with the baseline of every OS it lists. */
  readonly patchGroups: readonly PatchGroup[];
  /** Register each baseline as the region's default for its OS (instances without a patch group). */
  readonly registerAsDefault: boolean;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/**
 * The patches a baseline lists explicitly: the template's, then the environment's (Terraform keeps
 * them as a set, so a patch in both counts once).
 */
export const explicitPatches = (template: readonly string[], environment: readonly string[] | undefined): string[] => [...template, ...(environment ?? [])];

/** The environment's custom baseline for every OS its patch groups run, with the group registrations. */
export class PatchBaselines extends Construct {
  readonly baselines: ReadonlyMap<OperatingSystem, SsmPatchBaseline>;

  constructor(scope: Construct, id: string, props: PatchBaselinesProps) {
    super(scope, id);
    const provider = props.provider;
    const systems = [...new Set(props.patchGroups.flatMap((g) => g.operatingSystems))].sort();
    const baselines = new Map<OperatingSystem, SsmPatchBaseline>();

    for (const os of systems) {
      const definition = props.definitions[os];
      if (!definition) throw new Error(`PatchBaselines: no baseline definition for ${os}; the config schema should have rejected this`);
      const linux = platformOf(os) === "Linux";
      const approval = props.approval(os);
      baselines.set(
        os,
        new SsmPatchBaseline(this, os, {
          provider,
          name: props.naming.baseline(props.environment, os),
          description: `${definition.description} (${props.environment}: ${describeRuleApproval(approval.rule, approval.promotedFrom)})`,
          operatingSystem: os,
          approvalRule: definition.approvalRules.map((rule) => ({
            ...approval.rule,
            complianceLevel: rule.complianceLevel,
            enableNonSecurity: linux ? rule.enableNonSecurity : undefined,
            patchFilter: Object.entries(rule.filters).map(([key, values]) => ({ key, values })),
          })),
          approvedPatches: explicitPatches(definition.approvedPatches, props.approvedPatches[os]),
          approvedPatchesComplianceLevel: definition.approvedPatchesComplianceLevel,
          rejectedPatches: explicitPatches(definition.rejectedPatches, props.rejectedPatches[os]),
          rejectedPatchesAction: definition.rejectedPatchesAction,
        }),
      );
    }
    this.baselines = baselines;

    const registrations = new Construct(this, "PatchGroups");
    for (const group of props.patchGroups) {
      // construct ids cannot hold "/", which patch group names may
      const perGroup = new Construct(registrations, group.name.replace(/\//g, "_"));
      for (const os of group.operatingSystems) {
        new SsmPatchGroup(perGroup, os, { provider, baselineId: baselines.get(os)!.id, patchGroup: group.name });
      }
    }

    if (props.registerAsDefault) {
      const defaults = new Construct(this, "Defaults");
      for (const [os, baseline] of baselines) {
        new SsmDefaultPatchBaseline(defaults, os, { provider, baselineId: baseline.id, operatingSystem: os });
      }
    }
  }
}
