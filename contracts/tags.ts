/** Tags the fleet carries (README, "Tags the fleet uses"). */

/**
 * The keys Patch Manager reads an instance's patch group from: `Patch Group`, or `PatchGroup`
 * (no space), which an instance needs when tags are allowed in its metadata (instance metadata tag
 * keys may not contain spaces). `org.patchGroupTagKey` chooses one for the whole organization.
 */
export const PATCH_GROUP_TAG_KEYS = ["Patch Group", "PatchGroup"] as const;
export type PatchGroupTagKey = (typeof PATCH_GROUP_TAG_KEYS)[number];
export const DEFAULT_PATCH_GROUP_TAG_KEY: PatchGroupTagKey = "Patch Group";
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
