import { join } from "node:path";
import { providerRegions } from "./stack-providers.js";

/** Shard `index` of `count` (both from 1), as `--shard 3/8` writes it. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** At most this many shards: a GitHub Actions matrix takes 256 jobs, a review of more is not faster. */
export const MAX_SHARDS = 64;

export class ShardError extends Error {
  override readonly name = "ShardError";
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [Number.NaN, Number.NaN];
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count)
    throw new ShardError(`--shard: ${JSON.stringify(text)} is not a shard: k/n with n from 1 to ${MAX_SHARDS} and k from 1 to n (e.g. 3/8)`);
  return { index, count };
}

/**
 * What planning a stack costs, in seconds of one 2-core runner (measured with hashicorp/aws
 * 5.100.0, bench/plan-shards): terraform's own start, init and `show -json` (which loads the
 * provider's schema), then a provider process per region. The central stack plans its state
 * machines, functions and the fleet catalog: about two member stacks' worth.
 */
export const STACK_BASE_SECONDS = 3;
export const SECONDS_PER_REGION = 1.5;
export const CENTRAL_SECONDS = 12;

export const stackCostSeconds = (stack: string, outdir: string): number =>
  stack === "central" ? CENTRAL_SECONDS : STACK_BASE_SECONDS + SECONDS_PER_REGION * Math.max(1, providerRegions(join(outdir, "stacks", stack)).length);

/**
 * The stacks split into `count` shards of about equal cost: the costliest stack first, each to the
 * shard that has the least so far (ties: the lower shard, then the stack name), so every runner of
 * the matrix computes the same split. Every stack lands in exactly one shard; a shard may be empty
 * when there are fewer stacks than shards. Each shard's stacks are sorted by name.
 */
export function partition(stacks: readonly string[], count: number, cost: (stack: string) => number): string[][] {
  const shards = Array.from({ length: count }, () => ({ stacks: [] as string[], load: 0 }));
  const byCost = [...new Set(stacks)].map((stack) => ({ stack, cost: cost(stack) })).sort((a, b) => b.cost - a.cost || a.stack.localeCompare(b.stack));
  for (const { stack, cost: c } of byCost) {
    const lightest = shards.reduce((best, shard) => (shard.load < best.load ? shard : best));
    lightest.stacks.push(stack);
    lightest.load += c;
  }
  return shards.map((s) => s.stacks.sort());
}

/**
 * How many shards a change needs: one per `stacksPerShard` stacks to plan, at least one, at most
 * `maxShards` (the matrix the pull-request workflow starts).
 */
export const shardCount = (stacksToPlan: number, stacksPerShard: number, maxShards: number): number =>
  Math.min(maxShards, Math.max(1, Math.ceil(stacksToPlan / stacksPerShard)));
