import { environmentFreezes, type Freeze } from "../../contracts/change-freeze.js";
import type { PatchTaskDocument } from "../../contracts/patch-documents.js";
import type { Environment, MaintenanceWindow, Org } from "./index.js";

/**
 * Which safety nets an environment's member accounts get (docs/safety-nets.md): the change
 * calendar when the organization or the environment has freezes; the install runbook for every
 * installing window when there are freezes, or for a window with a backup; the backup vault, the
 * roles and the restore runbook when a window backs up. One function of the config alone, so the
 * stacks, the roles' policies, the limits, the approval settings and the tools agree.
 */
export interface SafetyNets {
  /** The organization's freezes, then the environment's: the change calendar's events. Empty: no calendar. */
  readonly freezes: readonly Freeze[];
  /** Windows whose install task runs the install runbook. */
  readonly runbookWindows: readonly MaintenanceWindow[];
  /** Some window backs up: the vault, the backup role and the restore runbook exist. */
  readonly backups: boolean;
  /** Some window backs up root-volume snapshots: the runbook looks the root volume up. */
  readonly snapshots: boolean;
  /** The patch documents the runbooks send. */
  readonly documents: readonly PatchTaskDocument[];
}

export function safetyNets(
  org: Pick<Org, "freezes">,
  environment: Pick<Environment, "freezes" | "maintenanceWindows"> & { readonly name: string },
): SafetyNets {
  const freezes = environmentFreezes(org.freezes, environment.name, environment.freezes);
  const runbookWindows = environment.maintenanceWindows.filter((w) => w.install && (freezes.length > 0 || w.install.backup));
  const backups = runbookWindows.filter((w) => w.install?.backup);
  return {
    freezes,
    runbookWindows,
    backups: backups.length > 0,
    snapshots: backups.some((w) => w.install?.backup?.kind === "snapshot"),
    documents: [...new Set(runbookWindows.map((w) => w.install!.document))].sort(),
  };
}

/** True when the environment's windows use Automation at all (the window role needs its calls). */
export const usesRunbooks = (nets: SafetyNets): boolean => nets.runbookWindows.length > 0;
