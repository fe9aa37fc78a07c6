import { type PatchComplianceData, paginateDescribeInstancePatches, type SSMClient } from "@aws-sdk/client-ssm";
import type { PatchStateValue } from "../../contracts/evidence.js";

/**
 * An instance's patches as DescribeInstancePatches lists them, read the same way by the compliance
 * evidence, the patch SLA and the approval trigger.
 */

/** DescribeInstancePatches: MaxResults 10-100. */
export const INSTANCE_PATCHES_PAGE = 100;

/**
 * The API sends patch states as the User Guide names them (`InstalledPendingReboot`), while the SDK's
 * model lists them in upper snake case (`INSTALLED_PENDING_REBOOT`); both spellings are read.
 */
const stateBySpelling = new Map<string, PatchStateValue>(
  (
    [
      ["Installed", "INSTALLED"],
      ["InstalledOther", "INSTALLED_OTHER"],
      ["InstalledPendingReboot", "INSTALLED_PENDING_REBOOT"],
      ["InstalledRejected", "INSTALLED_REJECTED"],
      ["Missing", "MISSING"],
      ["NotApplicable", "NOT_APPLICABLE"],
      ["Failed", "FAILED"],
    ] as const
  ).flatMap(([name, upper]) => [
    [name, name],
    [upper, name],
  ]),
);

/** The patch state as the User Guide spells it, or undefined for one it does not know (AvailableSecurityUpdate). */
export const patchState = (state: string | undefined): PatchStateValue | undefined => (state === undefined ? undefined : stateBySpelling.get(state));

/** The states of the patches an instance misses: one that failed to install is missing as much as one never tried. */
export const MISSING_STATES = ["Missing", "Failed"] as const;
export type MissingState = (typeof MISSING_STATES)[number];

/** A listed patch with its state in the User Guide's spelling. */
export type InstancePatch<S extends PatchStateValue = PatchStateValue> = Omit<PatchComplianceData, "State"> & { readonly State: S };

/**
 * One instance's patches in one state, page by page. The State filter is given one value per
 * call: the API Reference names no semantics for several. The answer's states are checked again,
 * so a patch of another state never slips in. Errors are left to the caller, who knows what an
 * instance that has gone or a refusal means for it.
 */
export async function patchesInState<S extends PatchStateValue>(ssm: SSMClient, instanceId: string, state: S): Promise<InstancePatch<S>[]> {
  const patches: InstancePatch<S>[] = [];
  const input = { InstanceId: instanceId, Filters: [{ Key: "State", Values: [state] }] };
  for await (const page of paginateDescribeInstancePatches({ client: ssm, pageSize: INSTANCE_PATCHES_PAGE }, input)) {
    for (const patch of page.Patches ?? []) {
      if (patchState(patch.State) === state) patches.push({ ...patch, State: state });
    }
  }
  return patches;
}

/** What DescribeInstancePatchStates counts of an instance (MissingCount, FailedCount). */
export interface MissingCounts {
  readonly missing: number;
  readonly failed: number;
}

/**
 * The instance's missing and failed patches: one sweep per state, and only for a state its patch
 * state counts some of (a count of 0 needs no call). Missing patches first, then failed ones.
 */
export async function missingAndFailedPatches(ssm: SSMClient, instanceId: string, counts: MissingCounts): Promise<InstancePatch<MissingState>[]> {
  const wanted = MISSING_STATES.filter((state) => (state === "Missing" ? counts.missing : counts.failed) > 0);
  return (await Promise.all(wanted.map((state) => patchesInState(ssm, instanceId, state)))).flat();
}
