import { beforeAll, describe, expect, it } from "vitest";
import { expandAction } from "../../test/security/iam-catalog.js";
import { exampleWith } from "../../test/support/config.js";
import { synthOrg } from "../../test/support/synth.js";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "./document.js";
import { planRolePolicy, type PlanRolePolicy } from "./policy.js";
import { dataSourceReads, resourceReads } from "./read-calls.js";
import { readSynthesizedStacks, type StackTypes } from "./stacks.js";

/**
 * The example organization with every optional approval resource on: a JWT authorizer
 * (org.approval.jwt) and the CloudFront + WAF edge (org.approval.edge), whose web ACL has a provider
 * of its own in us-east-1. The generator must know the read calls of each of their types.
 */
const withEverything = exampleWith((d) => {
  d.org.central.region = "eu-central-1";
  d.org.approval.jwt = { issuer: "https://login.example.com", audience: ["patchline"] };
  d.org.approval.edge = { rateLimitPerIp: 300 };
});

describe("the plan role's policy of an organization with org.approval.jwt and org.approval.edge", () => {
  let stacks: StackTypes[];
  let central: PlanRolePolicy;

  beforeAll(() => {
    const { outdir, config } = synthOrg({ input: withEverything, mode: { offline: false, role: "plan" } });
    stacks = readSynthesizedStacks(outdir);
    central = planRolePolicy("central", stacks, config.org.namePrefix)!;
  }, 300_000);

  it("is generated, granting the read calls of the authorizer, the distribution and its policies, and the web ACL", () => {
    const allowed = new Set(central.documents.flatMap((d) => d.Statement.flatMap((s) => (s.Effect === "Allow" ? s.Action : []))));
    for (const type of [
      "aws_apigatewayv2_authorizer",
      "aws_cloudfront_cache_policy",
      "aws_cloudfront_distribution",
      "aws_cloudfront_origin_request_policy",
      "aws_wafv2_web_acl",
    ]) {
      expect(central.types, type).toContain(type);
    }
    const stack = stacks.find((s) => s.kind === "central")!;
    const reads = [...Object.keys(stack.resources).map((t) => resourceReads[t]), ...Object.keys(stack.data).map((t) => dataSourceReads[t])].flatMap((r) =>
      r!.reads.flatMap((g) => g.actions),
    );
    expect(reads.filter((a) => !allowed.has(a))).toEqual([]);
    for (const action of ["cloudfront:GetDistribution", "cloudfront:GetCachePolicy", "cloudfront:GetOriginRequestPolicy", "wafv2:GetWebACL"]) {
      expect(allowed.has(action), action).toBe(true);
    }
  });

  it("names only IAM actions that exist", async () => {
    const actions = [...new Set(central.documents.flatMap((d) => d.Statement.flatMap((s) => s.Action)))];
    const unknown: string[] = [];
    for (const action of actions) if ((await expandAction(action)).length !== 1) unknown.push(action);
    expect(unknown).toEqual([]);
  });

  it("decrypts through Step Functions of the home region only, not of the web ACL's us-east-1", () => {
    const decrypt = central.documents.flatMap((d) => d.Statement).find((s) => s.Sid === "DecryptDefinitionsThroughTheirServices");
    expect(decrypt?.Condition).toEqual({ StringEquals: { "kms:ViaService": ["scheduler.eu-central-1.amazonaws.com", "states.eu-central-1.amazonaws.com"] } });
  });

  it("stays within IAM's managed-policy limit", () => {
    for (const document of central.documents) expect(policySize(document)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    expect(central.documents).toHaveLength(1);
  });
});
