import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A region whose resources leave one stack of an account for another between two synths. */
export interface RegionMove {
  readonly region: string;
  readonly from: string;
  readonly to: string;
}

/** The regions of a stack's aws providers, from its `cdk.tf.json`; none when the stack is not there. */
function providerRegions(outdir: string, stack: string): string[] {
  const file = join(outdir, "stacks", stack, "cdk.tf.json");
  if (!existsSync(file)) return [];
  const json = JSON.parse(readFileSync(file, "utf8")) as { provider?: { aws?: { region?: string }[] } };
  return (json.provider?.aws ?? []).flatMap((p) => (p.region ? [p.region] : []));
}

/**
 * Regions that move between an account's stack (`<env>-<account>`) and a stack of their own
 * (`<env>-<account>-<region>`, contracts/stack-layout.ts) from the base synth to the head synth.
 * Deployed as they are, one stack destroys the region's windows, baselines and rules while the
 * other creates them under the same names in the same account; their state must move first.
 */
export function regionMoves(baseOutdir: string, headOutdir: string, headStacks: readonly string[]): RegionMove[] {
  const moves: RegionMove[] = [];
  for (const stack of headStacks) {
    for (const region of providerRegions(headOutdir, stack)) {
      const own = `${stack}-${region}`;
      if (providerRegions(baseOutdir, own).includes(region)) moves.push({ region, from: own, to: stack });
      if (stack.endsWith(`-${region}`)) {
        const account = stack.slice(0, -region.length - 1);
        if (account !== stack && providerRegions(baseOutdir, account).includes(region) && !providerRegions(headOutdir, account).includes(region))
          moves.push({ region, from: account, to: stack });
      }
    }
  }
  return moves.sort((a, b) => a.from.localeCompare(b.from) || a.region.localeCompare(b.region));
}
