import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { estimatedPlanMb, PLAN_BASE_MB, PLAN_MB_PER_PROVIDER, runWithinBudget } from "./memory-budget.js";

/** Runs items that each take a few ms; records the memory and count running at once. */
async function schedule(costs: Record<string, number>, budget: { maxParallel: number; budgetMb?: number }) {
  let runningMb = 0;
  let peakMb = 0;
  let running = 0;
  let peakRunning = 0;
  const order: string[] = [];
  await runWithinBudget(Object.keys(costs), { ...budget, costMb: (item) => costs[item]! }, async (item) => {
    order.push(item);
    running++;
    runningMb += costs[item]!;
    peakRunning = Math.max(peakRunning, running);
    peakMb = Math.max(peakMb, runningMb);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    runningMb -= costs[item]!;
  });
  return { peakMb, peakRunning, order };
}

describe("plans within a memory budget", () => {
  it("starts a plan only when the running ones leave room for it, in order", async () => {
    const result = await schedule({ a: 1700, b: 1700, c: 1700, d: 530, e: 530 }, { maxParallel: 4, budgetMb: 4000 });
    // two large plans at once, never a third; a small one fits beside two large ones
    expect(result.peakMb).toBeLessThanOrEqual(4000);
    expect(result.peakRunning).toBe(3);
    expect(result.order).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("runs a plan larger than the budget alone rather than never", async () => {
    expect(await schedule({ a: 530, huge: 5000, b: 530 }, { maxParallel: 2, budgetMb: 3000 })).toMatchObject({
      order: ["a", "huge", "b"],
      peakMb: 5000,
      peakRunning: 1,
    });
  });

  it("is limited by the count alone without a budget", async () => {
    expect((await schedule({ a: 9000, b: 9000, c: 9000 }, { maxParallel: 2 })).peakRunning).toBe(2);
  });

  it("fails when a run fails", async () => {
    await expect(runWithinBudget(["a"], { maxParallel: 1, costMb: () => 1 }, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });
});

describe("a stack's expected plan memory", () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("counts the aws provider configurations, one process per region", () => {
    dir = mkdtempSync(join(tmpdir(), "patchline-plan-memory-"));
    const stack = (name: string, regions: number) => {
      mkdirSync(join(dir!, name));
      writeFileSync(join(dir!, name, "cdk.tf.json"), JSON.stringify({ provider: { aws: Array.from({ length: regions }, (_, i) => ({ region: `r${i}` })) } }));
      return estimatedPlanMb(join(dir!, name));
    };
    expect(stack("six", 6)).toBe(PLAN_BASE_MB + 6 * PLAN_MB_PER_PROVIDER);
    expect(stack("one", 1)).toBe(PLAN_BASE_MB + PLAN_MB_PER_PROVIDER);
  });

  it("reads the providers of an HCL synth (cdktf synth --hcl) too", () => {
    dir = mkdtempSync(join(tmpdir(), "patchline-plan-memory-"));
    writeFileSync(join(dir, "cdk.tf"), 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias = "eu-west-1"\n}\n');
    expect(estimatedPlanMb(dir)).toBe(PLAN_BASE_MB + 2 * PLAN_MB_PER_PROVIDER);
  });
});
