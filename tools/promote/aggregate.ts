import { operatingSystemOf, type EvidenceDocument } from "../../contracts/evidence.js";
import type { PromotedPatch } from "../../contracts/promotion-record.js";
import { baselinePatchId } from "./patch-id.js";

/** One patch of one operating system across the source's instances, with the states they report. */
export interface PatchEvidence extends PromotedPatch {
  readonly os: string;
  /** Instances of the source whose baseline rejects it (InstalledRejected). */
  readonly rejected: number;
}

export interface AggregatedEvidence {
  /** By operating system, then by baseline patch id. */
  readonly patches: ReadonlyMap<string, ReadonlyMap<string, PatchEvidence>>;
  /** Instances per operating system patchline builds baselines for. */
  readonly instances: ReadonlyMap<string, number>;
  /** Platforms no baseline covers (`PlatformName PlatformVersion` → instances). */
  readonly unmappedPlatforms: ReadonlyMap<string, number>;
}

// AWS reports the epoch as InstalledTime of a patch that is not installed
const isInstallTime = (time: string): boolean => Date.parse(time) > 0;

type Counting = { -readonly [K in keyof PatchEvidence]: PatchEvidence[K] };

/** Sums the evidence up per patch: where it installed, failed, is missing, waits for a reboot; first and last install. */
export function aggregateEvidence(evidence: EvidenceDocument): AggregatedEvidence {
  const patches = new Map<string, Map<string, Counting>>();
  const instances = new Map<string, number>();
  const unmappedPlatforms = new Map<string, number>();
  for (const instance of evidence.instances) {
    const os = operatingSystemOf(instance.PlatformName, instance.PlatformVersion);
    if (!os) {
      const platform = `${instance.PlatformName} ${instance.PlatformVersion}`;
      unmappedPlatforms.set(platform, (unmappedPlatforms.get(platform) ?? 0) + 1);
      continue;
    }
    instances.set(os, (instances.get(os) ?? 0) + 1);
    const byId = patches.get(os) ?? patches.set(os, new Map()).get(os)!;
    for (const reported of instance.Patches) {
      const id = baselinePatchId(os, reported);
      const patch =
        byId.get(id) ??
        byId
          .set(id, {
            os,
            id,
            title: reported.Title,
            kbId: reported.KBId,
            classification: reported.Classification,
            severity: reported.Severity,
            installed: 0,
            pendingReboot: 0,
            failed: 0,
            missing: 0,
            rejected: 0,
            firstInstalledAt: undefined,
            lastInstalledAt: undefined,
          })
          .get(id)!;
      switch (reported.State) {
        case "Installed":
        case "InstalledPendingReboot":
          patch.installed += 1;
          if (reported.State === "InstalledPendingReboot") patch.pendingReboot += 1;
          if (isInstallTime(reported.InstalledTime)) {
            const at = new Date(reported.InstalledTime).toISOString();
            if (patch.firstInstalledAt === undefined || at < patch.firstInstalledAt) patch.firstInstalledAt = at;
            if (patch.lastInstalledAt === undefined || at > patch.lastInstalledAt) patch.lastInstalledAt = at;
          }
          break;
        case "Failed":
          patch.failed += 1;
          break;
        case "Missing":
          patch.missing += 1;
          break;
        case "InstalledRejected":
          patch.rejected += 1;
          break;
        default:
          // NotApplicable and InstalledOther say nothing about the baseline's patches
          break;
      }
    }
  }
  return { patches, instances, unmappedPlatforms };
}
