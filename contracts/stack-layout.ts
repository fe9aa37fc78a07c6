/**
 * How a member account's regions are laid out in stacks. Terraform starts one provider process per
 * region of a stack (about 0.24 GB each for hashicorp/aws 5.100.0, bench plan-regions), so an
 * account in many regions would need more memory to plan than a CI runner has. Its first
 * `maxRegionsPerStack` regions stay in the account's stack (`<env>-<account>`, with the
 * account-wide roles and policies); every further region gets a stack of its own,
 * `<env>-<account>-<region>`, which `cdktf deploy '<env>-*'` still selects.
 */
export interface AccountStackLayout {
  /** Regions rendered in the account's own stack, the home region first. */
  readonly accountStackRegions: readonly string[];
  /** Regions rendered in a stack each. */
  readonly regionStacks: readonly string[];
}

export function accountStackLayout(regions: readonly string[], maxRegionsPerStack: number): AccountStackLayout {
  return { accountStackRegions: regions.slice(0, maxRegionsPerStack), regionStacks: regions.slice(maxRegionsPerStack) };
}

/** The stack of one region of an account whose regions do not fit its own stack. */
export const regionStackName = (accountStack: string, region: string): string => `${accountStack}-${region}`;

/** Default of `org.maxRegionsPerStack`: six regions plan in about 1.7 GB, under 2 GB with room. */
export const DEFAULT_MAX_REGIONS_PER_STACK = 6;
