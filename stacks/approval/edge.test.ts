import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig } from "../../test/support/construct-synth.js";
import { bodiesOf, type Block, type TerraformJson } from "../../test/support/terraform-json.js";
import { forwardedHeaders } from "./edge.js";
import { synthApprovalWorkflow } from "../../test/support/approval-workflow-synth.js";

const workflow = (config: OrgConfig, edgeRegion: string | null = "us-east-1"): TerraformJson => synthApprovalWorkflow(config, edgeRegion ?? undefined);

const withEdge = parseOrgConfig(exampleWith((d) => (d.org.approval.edge = { rateLimitPerIp: 250, rateWindowSeconds: 120 })));
const json = workflow(withEdge);
const environmentOf = (kind: string) =>
  (bodiesOf(json, "aws_lambda_function").find((f) => f.function_name === `patchline-approval-${kind}`)!.environment as Block).variables as Block;
const [distribution] = bodiesOf(json, "aws_cloudfront_distribution") as [Block];

describe("the approval edge (org.approval.edge)", () => {
  it("is a WAF web ACL of scope CLOUDFRONT, made by the us-east-1 provider, blocking an IP over the configured rate", () => {
    expect(bodiesOf(json, "aws_wafv2_web_acl")).toEqual([
      expect.objectContaining({
        provider: "aws.edge",
        scope: "CLOUDFRONT",
        default_action: { allow: {} },
        rule: [
          expect.objectContaining({
            action: { block: {} },
            statement: { rate_based_statement: { limit: 250, aggregate_key_type: "IP", evaluation_window_sec: 120 } },
          }),
        ],
      }),
    ]);
  });

  it("is a CloudFront distribution, HTTPS only to viewers and to the API, in front of the API, behind the web ACL", () => {
    expect(distribution).toMatchObject({
      enabled: true,
      web_acl_id: expect.stringMatching(/^\$\{aws_wafv2_web_acl\.[^.]+\.arn\}$/),
      origin: [
        {
          domain_name: expect.stringMatching(/^\$\{replace\(aws_apigatewayv2_api\.[^.]+\.api_endpoint, "https:\/\/", ""\)\}$/),
          custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"], http_port: 80, https_port: 443 },
        },
      ],
      default_cache_behavior: { viewer_protocol_policy: "https-only", allowed_methods: expect.arrayContaining(["GET", "POST"]) },
    });
  });

  it("caches nothing and forwards what the callback checks: Sec-Fetch-Site, Origin, the form's type, the viewer's address, the sign-in token", () => {
    expect(bodiesOf(json, "aws_cloudfront_origin_request_policy")).toEqual([
      expect.objectContaining({ headers_config: { header_behavior: "whitelist", headers: { items: [...forwardedHeaders] } } }),
    ]);
    expect([...forwardedHeaders]).toEqual(expect.arrayContaining(["Sec-Fetch-Site", "Origin", "Content-Type", "CloudFront-Viewer-Address"]));
    expect(bodiesOf(json, "aws_cloudfront_cache_policy")).toEqual([
      expect.objectContaining({
        min_ttl: 0,
        default_ttl: 0,
        parameters_in_cache_key_and_forwarded_to_origin: expect.objectContaining({
          headers_config: { header_behavior: "whitelist", headers: { items: ["Authorization"] } },
          query_strings_config: { query_string_behavior: "all" },
        }),
      }),
    ]);
  });

  it("makes links point at the distribution, and the callback accept decisions only from its origin", () => {
    const edgeUrl = expect.stringMatching(/^https:\/\/\$\{aws_cloudfront_distribution\.[^.]+\.domain_name\}$/);
    expect(environmentOf("request")).toMatchObject({ APPROVAL_API_URL: edgeUrl });
    expect(environmentOf("callback")).toMatchObject({ APPROVAL_API_URL: edgeUrl, BEHIND_EDGE: "true" });
  });

  it("keeps the HTTP API's own throttling behind it", () => {
    expect(bodiesOf(json, "aws_apigatewayv2_stage")).toEqual([
      expect.objectContaining({ default_route_settings: expect.objectContaining({ throttling_rate_limit: 10, throttling_burst_limit: 20 }) }),
    ]);
  });

  it("without the edge: no CloudFront or WAF, links and the page's origin are the API's", () => {
    const plain = workflow(exampleConfig);
    expect(bodiesOf(plain, "aws_cloudfront_distribution")).toEqual([]);
    expect(bodiesOf(plain, "aws_wafv2_web_acl")).toEqual([]);
    const callback = bodiesOf(plain, "aws_lambda_function").find((f) => f.function_name === "patchline-approval-callback")!;
    expect((callback.environment as Block).variables).toMatchObject({
      APPROVAL_API_URL: expect.stringMatching(/^\$\{aws_apigatewayv2_api\..+\.api_endpoint\}$/),
    });
    expect(Object.keys((callback.environment as Block).variables as Block)).not.toContain("BEHIND_EDGE");
  });

  it("with org.approval.pageUrl (a sign-in proxy's address): links start there and only its pages may decide, edge or not", () => {
    for (const edge of [undefined, { rateLimitPerIp: 250, rateWindowSeconds: 300 as const }]) {
      const config = parseOrgConfig(
        exampleWith((d) => {
          d.org.approval.pageUrl = "https://approvals.example.com/patchline/";
          if (edge) d.org.approval.edge = edge;
        }),
      );
      const functions = bodiesOf(workflow(config), "aws_lambda_function");
      for (const kind of ["request", "callback"]) {
        const variables = (functions.find((f) => f.function_name === `patchline-approval-${kind}`)!.environment as Block).variables as Block;
        expect(variables.APPROVAL_API_URL, kind).toBe("https://approvals.example.com/patchline");
      }
    }
  });

  it("refuses to build the web ACL without a us-east-1 provider", () => {
    expect(() => workflow(withEdge, null)).toThrow("org.approval.edge needs a provider in us-east-1 for its WAF web ACL");
    expect(() => workflow(withEdge, "eu-west-1")).toThrow("the approval edge's WAF web ACL needs a provider in us-east-1, got one in eu-west-1");
  });
});

describe("approvers only (org.approval.jwt.approversOnly)", () => {
  it("gives the callback each approving environment's approver addresses, nothing per account", () => {
    const config = parseOrgConfig(
      exampleWith((d) => (d.org.approval.jwt = { issuer: "https://login.example.com", audience: ["patchline"], approversOnly: true })),
    );
    const callback = bodiesOf(workflow(config), "aws_lambda_function").find((f) => f.function_name === "patchline-approval-callback")!;
    const approvers = JSON.parse(String(((callback.environment as Block).variables as Block).APPROVER_EMAILS));
    const expected = Object.fromEntries(config.environments.filter((e) => e.approval?.enabled).map((e) => [e.name, e.approval!.approverEmails]));
    expect(approvers).toEqual(expected);
    expect(Object.keys(approvers).length).toBeGreaterThan(0);
  });
});
