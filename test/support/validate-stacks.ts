import { readFileSync } from "node:fs";
import { join } from "node:path";
import pLimit from "p-limit";
import type { SynthesizedStack } from "./synth.js";
import { terraformAsync } from "./terraform.js";

interface ValidateResult {
  readonly valid: boolean;
  readonly diagnostics: readonly { readonly severity: string; readonly summary: string; readonly detail: string }[];
}

/**
 * `terraform init -backend=false` and `terraform validate` of each stack against hashicorp/aws
 * 5.100.0, two at a time (each validate starts a provider process of about 0.5 GB). Returns one
 * line per stack that failed, naming it; empty when every stack is valid.
 */
export async function validateStacks(stacks: readonly SynthesizedStack[], concurrency = 2): Promise<string[]> {
  const limit = pLimit(concurrency);
  const failures = await Promise.all(
    stacks.map((stack) =>
      limit(async (): Promise<string | undefined> => {
        try {
          await terraformAsync(["init", "-input=false", "-no-color", "-backend=false", "-lockfile=readonly"], stack.dir);
          const lock = readFileSync(join(stack.dir, ".terraform.lock.hcl"), "utf8");
          if (!lock.includes('version     = "5.100.0"')) return `${stack.name}: provider is not hashicorp/aws 5.100.0:\n${lock}`;
          const result = JSON.parse(await terraformAsync(["validate", "-json", "-no-color"], stack.dir)) as ValidateResult;
          return result.valid ? undefined : `${stack.name}: ${result.diagnostics.map((d) => `${d.summary}: ${d.detail}`).join("; ")}`;
        } catch (error) {
          return `${stack.name}: ${(error as Error).message}`;
        }
      }),
    ),
  );
  return failures.filter((failure) => failure !== undefined);
}
