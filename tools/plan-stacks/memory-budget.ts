import { providerRegions } from "./stack-providers.js";

/**
 * What one stack's `terraform plan` takes, measured with hashicorp/aws 5.100.0 (bench
 * plan-regions: 0.53 GB for one region, 1.2 GB for four, 1.7 GB for six): terraform itself and
 * about 0.24 GB per provider process, one per region of the stack.
 */
export const PLAN_BASE_MB = 290;
/** What plans side by side may take together: a 7 GB GitHub-hosted runner, with room for Node. */
export const DEFAULT_PLAN_MEMORY_MB = 6144;
export const PLAN_MB_PER_PROVIDER = 240;

/** The memory a stack's plan is expected to take, from its aws provider configurations. */
export const estimatedPlanMb = (stackDir: string): number => PLAN_BASE_MB + PLAN_MB_PER_PROVIDER * Math.max(1, providerRegions(stackDir).length);

export interface MemoryBudget<T> {
  /** Items run at once at most. */
  readonly maxParallel: number;
  /** Memory the running items may take together; an item larger than it runs alone. Unset: no limit. */
  readonly budgetMb?: number;
  readonly costMb: (item: T) => number;
}

/**
 * Runs `run` for every item in order, as many at once as `maxParallel` and the memory budget
 * allow: the next item starts when the running ones leave room for its cost.
 */
export function runWithinBudget<T>(items: readonly T[], budget: MemoryBudget<T>, run: (item: T) => Promise<void>): Promise<void> {
  const queue = items.map((item) => ({ item, cost: budget.costMb(item) }));
  let running = 0;
  let runningMb = 0;
  return new Promise((resolve, reject) => {
    const startWhatFits = () => {
      if (queue.length === 0 && running === 0) return resolve();
      while (queue.length > 0 && running < budget.maxParallel) {
        const { item, cost } = queue[0]!;
        if (running > 0 && budget.budgetMb !== undefined && runningMb + cost > budget.budgetMb) break;
        queue.shift();
        running++;
        runningMb += cost;
        run(item).then(() => {
          running--;
          runningMb -= cost;
          startWhatFits();
        }, reject);
      }
    };
    startWhatFits();
  });
}
