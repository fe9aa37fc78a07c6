import { beforeAll, describe, expect, it } from "vitest";
import { checkStack, rules } from "../../test/security/pack.js";
import { exampleWith } from "../../test/support/config.js";
import { synthOrg } from "../../test/support/synth.js";
import { bodiesOf, resourcesOf, type Block, type TerraformJson } from "../../test/support/terraform-json.js";

/**
 * The central stack of an organization whose home region is not us-east-1, with the approval
 * edge on: the WAF web ACL needs a second provider there, and the home region's resources keep
 * their provider (and so their addresses and state).
 */
const edgeOrganization = exampleWith((d) => {
  d.org.central.region = "eu-central-1";
  d.org.approval.edge = { rateLimitPerIp: 300 };
});

describe("the central stack with the approval edge, home region eu-central-1", () => {
  let central: TerraformJson;
  let plain: TerraformJson;

  beforeAll(() => {
    central = synthOrg({ input: edgeOrganization }).stacks.get("central")!.json;
    plain = synthOrg({ input: exampleWith((d) => (d.org.central.region = "eu-central-1")) }).stacks.get("central")!.json;
  }, 300_000);

  it("adds a provider in us-east-1 for the web ACL, and only for it", () => {
    expect((central.provider!.aws as Block[]).map((p) => [p.alias, p.region])).toEqual([
      ["eu-central-1", "eu-central-1"],
      ["us-east-1", "us-east-1"],
    ]);
    expect((plain.provider!.aws as Block[]).map((p) => p.alias)).toEqual(["eu-central-1"]);
    const byProvider = Object.entries(central.resource ?? {}).flatMap(([type, resources]) =>
      Object.values(resources)
        .filter((body) => body.provider === "aws.us-east-1")
        .map(() => type),
    );
    expect(byProvider).toEqual(["aws_wafv2_web_acl"]);
  });

  it("rate-limits each IP address at the configured value, with scope CLOUDFRONT", () => {
    const [acl] = bodiesOf(central, "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", rule: [{ statement: { rate_based_statement: { limit: 300, aggregate_key_type: "IP" } } }] });
  });

  it("changes no address of the stack without the edge: it only adds the edge's resources", () => {
    const addresses = (json: TerraformJson) => Object.entries(json.resource ?? {}).flatMap(([type, r]) => Object.keys(r).map((name) => `${type}.${name}`));
    const added = addresses(central).filter((a) => !addresses(plain).includes(a));
    expect(addresses(plain).filter((a) => !addresses(central).includes(a))).toEqual([]);
    expect(added.map((a) => a.split(".")[0]).sort()).toEqual([
      "aws_cloudfront_cache_policy",
      "aws_cloudfront_distribution",
      "aws_cloudfront_origin_request_policy",
      "aws_wafv2_web_acl",
    ]);
  });

  it("outputs the distribution's URL as the approval pages' base URL", () => {
    expect(central.output!.ApprovalApiUrl!.value).toMatch(/^https:\/\/\$\{aws_cloudfront_distribution\.[^.]+\.domain_name\}$/);
    expect(resourcesOf(central, "aws_cloudfront_distribution")).toHaveLength(1);
  });

  for (const rule of rules) {
    it(`passes ${rule.id}: ${rule.description}`, async () => {
      expect(await checkStack(central, [rule])).toEqual([]);
    });
  }
});
