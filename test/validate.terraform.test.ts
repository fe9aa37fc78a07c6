import { beforeAll, describe, expect, it } from "vitest";
import { exampleWith } from "./support/config.js";
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

describe("terraform validate, an account whose regions do not fit one stack", () => {
  it("its own stack and a region's stack validate", async () => {
    terraformVersion();
    const input = exampleWith((d) => {
      d.org.maxRegionsPerStack = 1;
      d.environments.prod!.accounts[1]!.regions = ["us-east-1", "ap-northeast-1"];
    });
    const stacks = synthOrg({ input, mode: { offline: false } }).stacks;
    const split = ["prod-web-prod", "prod-web-prod-ap-northeast-1"].map((name) => stacks.get(name)!);
    expect(split.every(Boolean)).toBe(true);
    expect(await validateStacks(split)).toEqual([]);
  }, 600_000);
});

describe("terraform validate, the central stack with the approval edge (CloudFront and WAF)", () => {
  it("validates, with the WAF web ACL on a us-east-1 provider beside the home region's", async () => {
    terraformVersion();
    const input = exampleWith((d) => {
      d.org.central.region = "eu-central-1";
      d.org.approval.edge = { rateLimitPerIp: 500, rateWindowSeconds: 60 };
      d.org.approval.jwt = { issuer: "https://login.example.com", audience: ["patchline"], approversOnly: true };
    });
    const central = synthOrg({ input, mode: { offline: false } }).stacks.get("central")!;
    expect(Object.keys(central.json.resource ?? {})).toEqual(expect.arrayContaining(["aws_cloudfront_distribution", "aws_wafv2_web_acl"]));
    expect(await validateStacks([central])).toEqual([]);
  }, 600_000);
});
