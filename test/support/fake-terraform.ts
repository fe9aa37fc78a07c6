import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunOptions, RunResult } from "../../tools/lib/process.js";

/** A synth output folder with the given files per stack. */
export function writeSynthOutput(outdir: string, stacks: Record<string, Record<string, string>>): string {
  for (const [stack, files] of Object.entries(stacks)) {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(join(outdir, "stacks", stack, file, ".."), { recursive: true });
      writeFileSync(join(outdir, "stacks", stack, file), content);
    }
  }
  return outdir;
}

/**
 * A fake terraform: records calls, writes a lock file on `init` (as terraform does, unless the
 * stack has one), fails `init`/`plan` of the stacks named, plans no changes for the `unchanged`
 * ones (exit 0 of -detailed-exitcode, else 2), prints a plan on `show`.
 */
export function fakeTerraform(fail: Record<string, "init" | "plan"> = {}, options: { unchanged?: readonly string[]; plan?: (stack: string) => object } = {}) {
  const calls: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = async (_command: string, args: readonly string[], _options?: RunOptions): Promise<RunResult> => {
    const dir = args[0]!.slice("-chdir=".length);
    const stack = dir.split("/").at(-1)!;
    const verb = args[1]!;
    calls.push(`${verb} ${stack}`);
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    if (fail[stack] === verb) return { code: 1, stdout: "", stderr: `Error: ${verb} of ${stack} failed\n` };
    if (verb === "init" && existsSync(dir) && !existsSync(join(dir, ".terraform.lock.hcl")))
      writeFileSync(join(dir, ".terraform.lock.hcl"), `lock of ${stack}`);
    if (verb === "plan") return { code: options.unchanged?.includes(stack) ? 0 : 2, stdout: "", stderr: "" };
    const plan = options.plan?.(stack) ?? { format_version: "1.2", stack };
    return { code: 0, stdout: verb === "show" ? JSON.stringify(plan) : "", stderr: "" };
  };
  return { run, calls, maxRunning: () => maxRunning };
}
