/** Tags the fleet carries (README, "Tags the fleet uses"). */
export const PATCH_GROUP_TAG = "Patch Group";
export const PATCH_POLICY_TAG = "patch-policy";
export const MAINTENANCE_WINDOW_TAG = "Maintenance Window";

export const PatchPolicy = {
  ON_SCHEDULE: "patch-on-schedule",
  ON_APPROVAL: "patch-on-approval",
} as const;
export type PatchPolicy = (typeof PatchPolicy)[keyof typeof PatchPolicy];

/** Default tags of every resource in a stack: the organization's tags plus where the resource comes from. */
export function stackTags(org: { readonly tags: Readonly<Record<string, string>> }, stackName: string, environment?: string): Record<string, string> {
  return {
    ...org.tags,
    "patchline:managed-by": "patchline",
    "patchline:stack": stackName,
    ...(environment ? { "patchline:environment": environment } : {}),
  };
}
