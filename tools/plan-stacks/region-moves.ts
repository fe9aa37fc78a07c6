import { join } from "node:path";
import { providerRegions } from "./stack-providers.js";

/** A region whose resources leave one stack of an account for another between two synths. */
export interface RegionMove {
  readonly region: string;
  readonly from: string;
  readonly to: string;
}

const regionsOf = (outdir: string, stack: string): string[] => providerRegions(join(outdir, "stacks", stack));

/**
 * Regions that move between an account's stack (`<env>-<account>`) and a stack of their own
 * (`<env>-<account>-<region>`, contracts/stack-layout.ts) from the base synth to the head synth.
 * Deployed as they are, one stack destroys the region's windows, baselines and rules while the
 * other creates them under the same names in the same account; their state must move first.
 */
export function regionMoves(baseOutdir: string, headOutdir: string, headStacks: readonly string[]): RegionMove[] {
  const moves: RegionMove[] = [];
  for (const stack of headStacks) {
    for (const region of regionsOf(headOutdir, stack)) {
      const own = `${stack}-${region}`;
      if (regionsOf(baseOutdir, own).includes(region)) moves.push({ region, from: own, to: stack });
      if (stack.endsWith(`-${region}`)) {
        const account = stack.slice(0, -region.length - 1);
        if (account !== stack && regionsOf(baseOutdir, account).includes(region) && !regionsOf(headOutdir, account).includes(region))
          moves.push({ region, from: account, to: stack });
      }
    }
  }
  return moves.sort((a, b) => a.from.localeCompare(b.from) || a.region.localeCompare(b.region));
}
