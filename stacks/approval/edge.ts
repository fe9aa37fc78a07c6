import { CloudfrontCachePolicy } from "@cdktf/provider-aws/lib/cloudfront-cache-policy";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginRequestPolicy } from "@cdktf/provider-aws/lib/cloudfront-origin-request-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { OrgApproval } from "../../environments/schema/index.js";

/** WAF for CloudFront exists only in us-east-1: its web ACL needs a provider there. */
export const CLOUDFRONT_WAF_REGION = "us-east-1";

/**
 * What CloudFront passes on to the API besides the query string (in the cache key) and the body:
 * what the callback checks (`Sec-Fetch-Site`, `Origin`: ../../functions/approval/callback/same-origin.ts),
 * parses (`Content-Type`), records (`User-Agent`) and the viewer's address CloudFront adds
 * (`CloudFront-Viewer-Address`; behind the edge the API sees CloudFront's address). Not `Host`: the
 * API answers only to its own domain. `Authorization` (JWT) cannot be forwarded by an origin request
 * policy: it is in the cache policy's key, which forwards it.
 */
export const forwardedHeaders = ["CloudFront-Viewer-Address", "Content-Type", "Origin", "Sec-Fetch-Site", "User-Agent"] as const;

export interface ApprovalEdgeProps {
  /** Names are `<name>-edge`, `<name>-rate-limit`, …: the API's name. */
  readonly name: string;
  /** The API's endpoint, `https://<id>.execute-api.<region>.amazonaws.com`. */
  readonly apiEndpoint: string;
  readonly settings: NonNullable<OrgApproval["edge"]>;
  /** The central provider (CloudFront is global; its resources live in any region's provider). */
  readonly provider: AwsProvider;
  /** A provider in us-east-1, for the WAF web ACL of scope CLOUDFRONT. */
  readonly wafProvider: AwsProvider;
}

/**
 * org.approval.edge: a CloudFront distribution in front of the approval API, HTTPS only, caching
 * nothing (the pages are `no-store`), with a WAF web ACL whose rate-based rule blocks an IP
 * address over its limit. One client can then exhaust only its own allowance, not the API's shared
 * stage throttling, which stays as the ceiling behind the edge.
 */
export class ApprovalEdge extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: ApprovalEdgeProps) {
    super(scope, id);
    const { provider, name, settings } = props;
    if (props.wafProvider.region !== CLOUDFRONT_WAF_REGION)
      throw new Error(`the approval edge's WAF web ACL needs a provider in ${CLOUDFRONT_WAF_REGION}, got one in ${String(props.wafProvider.region)}`);

    const ruleName = `${name}-rate-limit-per-ip`;
    this.webAcl = new Wafv2WebAcl(this, "WebAcl", {
      provider: props.wafProvider,
      name: `${name}-edge`,
      description: "patchline: per-IP rate limit in front of the approval pages",
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      rule: [
        {
          name: ruleName,
          priority: 0,
          action: { block: {} },
          // the provider types `statement` loosely: it is written as Terraform names it
          statement: { rate_based_statement: { limit: settings.rateLimitPerIp, aggregate_key_type: "IP", evaluation_window_sec: settings.rateWindowSeconds } },
          visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: ruleName, sampledRequestsEnabled: true },
        },
      ],
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${name}-edge`, sampledRequestsEnabled: true },
    });

    // nothing is cached (the origin answers no-store); the key holds what must reach the API
    const cachePolicy = new CloudfrontCachePolicy(this, "CachePolicy", {
      provider,
      name: `${name}-edge`,
      comment: "patchline approval pages: no caching; link parameters and the sign-in token reach the API",
      minTtl: 0,
      defaultTtl: 0,
      maxTtl: 1,
      parametersInCacheKeyAndForwardedToOrigin: {
        queryStringsConfig: { queryStringBehavior: "all" },
        headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization"] } },
        cookiesConfig: { cookieBehavior: "none" },
      },
    });
    const originRequestPolicy = new CloudfrontOriginRequestPolicy(this, "OriginRequestPolicy", {
      provider,
      name: `${name}-edge`,
      comment: "patchline approval pages: the headers the approval callback checks and records",
      headersConfig: { headerBehavior: "whitelist", headers: { items: [...forwardedHeaders] } },
      cookiesConfig: { cookieBehavior: "none" },
      queryStringsConfig: { queryStringBehavior: "none" },
    });

    const originId = "approval-api";
    this.distribution = new CloudfrontDistribution(this, "Distribution", {
      provider,
      enabled: true,
      comment: "patchline: approval pages",
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: "PriceClass_100",
      webAclId: this.webAcl.arn,
      origin: [
        {
          originId,
          domainName: Fn.replace(props.apiEndpoint, "https://", ""),
          customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "https-only",
        // CloudFront allows POST only together with every other method; the API routes GET and POST alone
        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: cachePolicy.id,
        originRequestPolicyId: originRequestPolicy.id,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });
  }

  /** The base URL approval links start with when the edge is on. */
  get url(): string {
    return `https://${this.distribution.domainName}`;
  }
}
