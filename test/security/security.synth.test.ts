import { beforeAll, describe, expect, it } from "vitest";
import { synthOrg, type SynthesizedStack } from "../support/synth.js";
import { checkStack, rules } from "./pack.js";

describe("security guardrails over every synthesized stack of the example organization", () => {
  let stacks: SynthesizedStack[];

  beforeAll(() => {
    stacks = [...synthOrg().stacks.values()];
  });

  it("synthesizes the central stack and one stack per environment account", () => {
    expect(stacks.map((s) => s.name)).toEqual([
      "central",
      "dev-payments-dev",
      "dev-web-dev",
      "preprod-payments-preprod",
      "preprod-web-preprod",
      "prod-data-prod",
      "prod-payments-prod",
      "prod-web-prod",
    ]);
  });

  for (const rule of rules) {
    it(`${rule.id}: ${rule.description}`, async () => {
      const findings: string[] = [];
      for (const stack of stacks) findings.push(...(await checkStack(stack.json, [rule])).map((f) => `${stack.name}: ${f}`));
      expect(findings).toEqual([]);
    });
  }
});
