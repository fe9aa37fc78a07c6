import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estimatedPlanMb, runWithinBudget } from "./memory-budget.js";
import { lastLines, type ProcessRunner } from "../lib/process.js";

export interface PlanStacksProps {
  readonly stacks: readonly string[];
  /** The synth output holding `stacks/<stack>`. */
  readonly outdir: string;
  /** Where `<stack>.json` (`terraform show -json` of the plan) is written. */
  readonly planDir: string;
  /** Stacks planned side by side at most. */
  readonly parallelism: number;
  /**
   * Memory the plans running side by side may take together, estimated per stack from its regions
   * (memory-budget.ts): a stack in many regions plans alone. Unset: only `parallelism` limits.
   */
  readonly memoryMb?: number;
  /** @default estimatedPlanMb of the stack's folder */
  readonly estimateMb?: (stack: string) => number;
  readonly run: ProcessRunner;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** The clock the step timings are read from. @default performance.now */
  readonly clock?: () => number;
  /**
   * Take the state lock while planning: a deploy does, a pull request's review must not block one.
   * @default false
   */
  readonly lockState?: boolean;
}

/** Seconds each terraform step of a stack took; `show` is absent when the plan has no changes. */
export interface StackTimings {
  readonly init: number;
  readonly plan: number;
  readonly show?: number;
}

export interface PlanStacksResult {
  /** Stacks whose init, plan or show failed, with the end of terraform's error output. */
  readonly failed: Array<{ stack: string; error: string }>;
  /** Stacks whose plan has no changes: no `<stack>.json` is written for them. */
  readonly withoutChanges: string[];
  readonly timings: Map<string, StackTimings>;
}

/**
 * The providers a stack requires (`terraform.required_providers`): stacks alike share a lock file.
 * An HCL synth (`cdk.tf`) counts as one set: every patchline stack requires the same aws provider.
 */
function requiredProviders(stackDir: string): string {
  const json = join(stackDir, "cdk.tf.json");
  if (!existsSync(json)) return "";
  return JSON.stringify((JSON.parse(readFileSync(json, "utf8")) as { terraform?: { required_providers?: unknown } }).terraform?.required_providers ?? {});
}

/**
 * `terraform init`, `plan` and `show -json` for each stack, with its own state, stacks side by
 * side; the plan stays in the stack's folder as `plan.tfplan`.
 *
 * With a plugin cache (TF_PLUGIN_CACHE_DIR), the first stack of each set of required providers is
 * initialized alone: it installs the providers into the cache, once per runner. The others get its
 * lock file before their init, so terraform links the cached providers instead of installing them
 * again (two installs into one cache side by side collide) and their inits run in parallel with
 * the plans. `plan -detailed-exitcode` tells a plan without changes: it needs no `show -json`,
 * which costs a third of a stack's time loading the provider's schema.
 */
export async function planStacks(props: PlanStacksProps): Promise<PlanStacksResult> {
  mkdirSync(props.planDir, { recursive: true });
  const clock = props.clock ?? (() => performance.now());
  const result: PlanStacksResult = { failed: [], withoutChanges: [], timings: new Map() };
  const dir = (stack: string) => join(props.outdir, "stacks", stack);
  const step = async (stack: string, what: string, args: string[], ok: readonly number[] = [0]) => {
    const start = clock();
    const run = await props.run("terraform", [`-chdir=${dir(stack)}`, ...args], { capture: true });
    const seconds = (clock() - start) / 1000;
    if (ok.includes(run.code)) return { ...run, seconds };
    result.failed.push({ stack, error: `terraform ${what} failed (exit ${run.code}): ${lastLines(run.stderr || run.stdout)}` });
    return undefined;
  };
  const init = (stack: string) => step(stack, "init", ["init", "-input=false", "-no-color"]);

  // per set of required providers, stacks are initialized one at a time until one succeeds: its
  // lock file lets the others link the cached providers, side by side
  const initialized = new Map<string, number>();
  const lockFileOf = new Map<string, string>();
  const failedInit = new Set<string>();
  const kinds = new Map<string, string[]>();
  for (const stack of props.stacks) {
    const kind = requiredProviders(dir(stack));
    kinds.set(kind, [...(kinds.get(kind) ?? []), stack]);
  }
  for (const stacks of kinds.values()) {
    for (const stack of stacks) {
      const done = await init(stack);
      if (!done) {
        failedInit.add(stack);
        continue;
      }
      initialized.set(stack, done.seconds);
      for (const other of stacks) lockFileOf.set(other, join(dir(stack), ".terraform.lock.hcl"));
      break;
    }
  }
  const estimate = props.estimateMb ?? ((stack: string) => estimatedPlanMb(dir(stack)));
  const budget = { maxParallel: props.parallelism, budgetMb: props.memoryMb, costMb: props.memoryMb === undefined ? () => 0 : estimate };
  // a set whose every init failed has nothing left to plan
  const toPlan = props.stacks.filter((stack) => !failedInit.has(stack) && lockFileOf.has(stack));
  await runWithinBudget(toPlan, budget, async (stack) => {
    let initSeconds = initialized.get(stack);
    if (initSeconds === undefined) {
      const lockFile = lockFileOf.get(stack);
      const own = join(dir(stack), ".terraform.lock.hcl");
      if (lockFile && existsSync(lockFile) && !existsSync(own)) copyFileSync(lockFile, own);
      const done = await init(stack);
      if (!done) return;
      initSeconds = done.seconds;
    }
    // 0: no changes, 2: changes (-detailed-exitcode)
    const lock = props.lockState ? [] : ["-lock=false"];
    const plan = await step(stack, "plan", ["plan", "-input=false", "-no-color", ...lock, "-detailed-exitcode", "-out=plan.tfplan"], [0, 2]);
    if (!plan) return;
    if (plan.code === 0) {
      result.withoutChanges.push(stack);
      result.timings.set(stack, { init: initSeconds, plan: plan.seconds });
      props.log(`planned ${stack}: no changes`);
      return;
    }
    const show = await step(stack, "show", ["show", "-json", "plan.tfplan"]);
    if (!show) return;
    writeFileSync(join(props.planDir, `${stack}.json`), show.stdout);
    result.timings.set(stack, { init: initSeconds, plan: plan.seconds, show: show.seconds });
    props.log(`planned ${stack}`);
  });
  result.failed.sort((a, b) => a.stack.localeCompare(b.stack));
  result.withoutChanges.sort();
  return result;
}
