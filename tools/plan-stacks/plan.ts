import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estimatedPlanMb, runWithinBudget } from "./memory-budget.js";
import type { ProcessRunner } from "../lib/process.js";

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
}

const lastLines = (text: string, n = 20) => text.trim().split("\n").slice(-n).join("\n");

/**
 * `terraform init`, `plan` and `show -json` for each stack, with its own state; inits one at a
 * time (they share terraform's plugin cache), plans side by side. Plans without taking the state
 * lock: a review must not block a deploy. Returns the stacks that failed, with terraform's error.
 */
export async function planStacks(props: PlanStacksProps): Promise<Array<{ stack: string; error: string }>> {
  mkdirSync(props.planDir, { recursive: true });
  const failed: Array<{ stack: string; error: string }> = [];
  const dir = (stack: string) => join(props.outdir, "stacks", stack);
  const step = async (stack: string, what: string, args: string[]): Promise<string | undefined> => {
    const result = await props.run("terraform", [`-chdir=${dir(stack)}`, ...args], { capture: true });
    if (result.code === 0) return result.stdout;
    failed.push({ stack, error: `terraform ${what} failed (exit ${result.code}): ${lastLines(result.stderr || result.stdout)}` });
    return undefined;
  };

  const initialized: string[] = [];
  for (const stack of props.stacks) {
    if ((await step(stack, "init", ["init", "-input=false", "-no-color"])) !== undefined) initialized.push(stack);
  }
  const estimate = props.estimateMb ?? ((stack: string) => estimatedPlanMb(dir(stack)));
  const budget = { maxParallel: props.parallelism, budgetMb: props.memoryMb, costMb: props.memoryMb === undefined ? () => 0 : estimate };
  await runWithinBudget(initialized, budget, async (stack) => {
    if ((await step(stack, "plan", ["plan", "-input=false", "-no-color", "-lock=false", "-out=plan.tfplan"])) === undefined) return;
    const json = await step(stack, "show", ["show", "-json", "plan.tfplan"]);
    if (json === undefined) return;
    writeFileSync(join(props.planDir, `${stack}.json`), json);
    props.log(`planned ${stack}`);
  });
  return failed.sort((a, b) => a.stack.localeCompare(b.stack));
}
