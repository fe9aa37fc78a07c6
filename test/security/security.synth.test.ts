import { beforeAll, describe, expect, it } from "vitest";
import { synthOrg, type SynthesizedStack } from "../support/synth.js";
import { checkStack, rules } from "./pack.js";
import { exampleWith } from "../support/config.js";
import { promoteExactly, recentRecord } from "../support/promotion.js";

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

describe("security guardrails over the stacks a promotion in mode install-override-list changes", () => {
  let stacks: SynthesizedStack[];

  beforeAll(() => {
    const draft = exampleWith((d) => promoteExactly(d));
    const input = { ...draft, promotions: { prod: recentRecord(draft) } };
    // the central stack gets the promotions bucket and the list, prod's windows the list's URL
    stacks = [...synthOrg({ input }).stacks.values()].filter((s) => s.name === "central" || s.name.startsWith("prod-"));
  });

  for (const rule of rules) {
    it(`${rule.id}: ${rule.description}`, async () => {
      const findings: string[] = [];
      for (const stack of stacks) findings.push(...(await checkStack(stack.json, [rule])).map((f) => `${stack.name}: ${f}`));
      expect(stacks.some((s) => JSON.stringify(s.json).includes("install-override-list.yaml"))).toBe(true);
      expect(findings).toEqual([]);
    });
  }
});
