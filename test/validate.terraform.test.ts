import { beforeAll, describe, expect, it } from "vitest";
import { synthOrg, type SynthesizedStack } from "./support/synth.js";
import { terraformVersion } from "./support/terraform.js";
import { validateStacks } from "./support/validate-stacks.js";

/**
 * Every stack of the example organization, as it is deployed (assume-role providers, S3 backend),
 * must be valid Terraform for the pinned hashicorp/aws provider. Missing terraform or provider
 * fails the suite.
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

  it("every stack validates against hashicorp/aws 5.100.0", async () => {
    expect(await validateStacks(stacks)).toEqual([]);
  }, 600_000);
});
