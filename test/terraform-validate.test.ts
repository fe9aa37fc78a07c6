import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { synthOrg, type SynthesizedStack } from "./support/synth.js";
import { terraform, terraformVersion } from "./support/terraform.js";

/**
 * Every stack, as it is deployed (assume-role providers, S3 backend), must be valid Terraform for
 * the pinned hashicorp/aws provider. Missing terraform or provider fails the suite.
 */
describe("terraform validate, every synthesized stack", () => {
  let stacks: SynthesizedStack[];

  beforeAll(() => {
    terraformVersion();
    stacks = [...synthOrg({ mode: { offline: false } }).stacks.values()];
  });

  it("synthesized the central stack and the member stacks", () => {
    expect(stacks.length).toBe(8);
  });

  it("every stack validates against hashicorp/aws 5.100.0", () => {
    const failures: string[] = [];
    for (const stack of stacks) {
      try {
        terraform(["init", "-input=false", "-no-color", "-backend=false"], stack.dir);
        const lock = readFileSync(join(stack.dir, ".terraform.lock.hcl"), "utf8");
        if (!lock.includes('version     = "5.100.0"')) failures.push(`${stack.name}: provider is not hashicorp/aws 5.100.0:\n${lock}`);
        const result = JSON.parse(terraform(["validate", "-json", "-no-color"], stack.dir)) as { valid: boolean; diagnostics: { severity: string; summary: string; detail: string }[] };
        if (!result.valid) failures.push(`${stack.name}: ${result.diagnostics.map((d) => `${d.summary}: ${d.detail}`).join("; ")}`);
      } catch (error) {
        failures.push(`${stack.name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
