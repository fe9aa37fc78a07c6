import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FingerprintedPlan } from "../plan-review/fingerprint.js";
import { lastLines, type ProcessRunner } from "../lib/process.js";
import { DEFAULT_PLAN_MEMORY_MB, runWithinBudget } from "../plan-stacks/memory-budget.js";
import { planStacks } from "../plan-stacks/plan.js";
import { describeDifferences, verdict, type ReviewedPlans } from "./reviewed.js";

export interface DeployReviewedProps {
  readonly stacks: readonly string[];
  /** The synth output holding `stacks/<stack>`. */
  readonly outdir: string;
  readonly reviewed: ReviewedPlans;
  /** Stacks the operator lets apply although their plan is not the reviewed one. */
  readonly acceptChanged: ReadonlySet<string>;
  /** Plan and check only: apply nothing. */
  readonly dryRun: boolean;
  readonly parallelism: number;
  readonly run: ProcessRunner;
  readonly log: (line: string) => void;
}

export type StackOutcome = "applied" | "would apply" | "nothing to apply" | "refused" | "failed";

export interface StackResult {
  readonly stack: string;
  readonly outcome: StackOutcome;
  /** Why, in the operator's words: terraform's error, or the addresses that differ from the review. */
  readonly detail?: string;
}

/**
 * Deploys exactly what was reviewed: plans each stack (taking the state lock), compares the plan
 * with the fingerprint of the plan its pull request reviewed, and applies that same saved plan
 * only when they are equal (terraform refuses a saved plan whose state has changed since). A stack
 * whose plan differs is not applied, and its differing addresses are named with why, unless the
 * operator accepts it by name.
 */
export async function deployReviewed(props: DeployReviewedProps): Promise<StackResult[]> {
  const planDir = mkdtempSync(join(tmpdir(), "patchline-deploy-plans-"));
  try {
    const planned = await planStacks({
      stacks: props.stacks,
      outdir: props.outdir,
      planDir,
      parallelism: props.parallelism,
      memoryMb: DEFAULT_PLAN_MEMORY_MB,
      lockState: true,
      run: props.run,
      log: props.log,
    });
    const results: StackResult[] = planned.failed.map(({ stack, error }) => ({ stack, outcome: "failed", detail: error }));
    const toApply: string[] = [];
    for (const stack of props.stacks) {
      if (planned.failed.some((f) => f.stack === stack)) continue;
      const file = join(planDir, `${stack}.json`);
      const planNow = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as FingerprintedPlan) : undefined;
      if (!planNow) {
        results.push({ stack, outcome: "nothing to apply" });
        continue;
      }
      const check = verdict(stack, props.reviewed, planNow);
      const accepted = props.acceptChanged.has(stack);
      if (check.kind === "not reviewed" && !accepted) {
        results.push({
          stack,
          outcome: "refused",
          detail: "not in the review: the reviewed pull request has no plan of this stack (not planned, or its plan failed)",
        });
        continue;
      }
      if (check.kind === "differs") {
        const lines = describeDifferences(check.addresses);
        const differs = `its plan differs from the reviewed one at ${lines.length} address${lines.length === 1 ? "" : "es"}:\n${lines.join("\n")}`;
        if (!accepted) {
          results.push({
            stack,
            outcome: "refused",
            detail: `${differs}\nplan it in a pull request again, or apply it as it is with --accept-changed-plan ${stack}`,
          });
          continue;
        }
        props.log(`${stack}: applying although ${differs} (--accept-changed-plan)`);
      }
      toApply.push(stack);
    }
    await runWithinBudget(toApply, { maxParallel: props.parallelism, costMb: () => 0 }, async (stack) => {
      if (props.dryRun) {
        results.push({ stack, outcome: "would apply" });
        return;
      }
      const apply = await props.run("terraform", [`-chdir=${join(props.outdir, "stacks", stack)}`, "apply", "-input=false", "-no-color", "plan.tfplan"], {
        capture: true,
      });
      if (apply.code === 0) results.push({ stack, outcome: "applied" });
      else results.push({ stack, outcome: "failed", detail: `terraform apply failed (exit ${apply.code}): ${lastLines(apply.stderr || apply.stdout)}` });
      props.log(`${stack}: ${apply.code === 0 ? "applied" : "apply failed"}`);
    });
    return results.sort((a, b) => a.stack.localeCompare(b.stack));
  } finally {
    rmSync(planDir, { recursive: true, force: true });
  }
}
