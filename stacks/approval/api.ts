import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";

/** Requests per second (and burst) the approval page serves; far above what people click, far below what abuse costs. */
export const APPROVAL_API_RATE_LIMIT = 10;
export const APPROVAL_API_BURST_LIMIT = 20;

/**
 * Access log fields. Deliberately no path and no query string: the link's signature is in the
 * query, the approval id in the path; the route key says which route was hit.
 */
export const approvalAccessLogFormat = {
  requestId: "$context.requestId",
  time: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  responseLength: "$context.responseLength",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
} as const;

export interface ApprovalApiProps {
  readonly naming: Naming;
  /** The approval-callback function. */
  readonly callback: { readonly functionName: string; readonly arn: string };
  /** JWT authorizer on the decision route (org.approval.jwt). @default - none: the signed link alone authorizes a decision */
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  readonly logRetentionDays: number;
  readonly logKey: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * The approval page's HTTP API: `GET /approvals/{approvalId}` shows a request, `POST` decides it.
 * Throttled, access-logged to an encrypted log group, and the callback may be invoked only by
 * these two routes.
 */
export class ApprovalApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ApprovalApiProps) {
    super(scope, id);
    const { provider, naming } = props;
    this.api = new Apigatewayv2Api(this, "Api", {
      provider,
      name: naming.approvalApi,
      protocolType: "HTTP",
      description: "patchline: approval pages for patching instances tagged patch-policy=patch-on-approval",
    });
    this.logGroup = new CloudwatchLogGroup(this, "AccessLogs", {
      provider,
      name: `/aws/vendedlogs/apigateway/${naming.approvalApi}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKey.arn,
    });
    const integration = new Apigatewayv2Integration(this, "Callback", {
      provider,
      apiId: this.api.id,
      integrationType: "AWS_PROXY",
      integrationUri: props.callback.arn,
      payloadFormatVersion: "2.0",
      timeoutMilliseconds: 10_000,
    });
    const authorizer = props.jwt
      ? new Apigatewayv2Authorizer(this, "Jwt", {
          provider,
          apiId: this.api.id,
          name: "approvers",
          authorizerType: "JWT",
          identitySources: ["$request.header.Authorization"],
          jwtConfiguration: { issuer: props.jwt.issuer, audience: [...props.jwt.audience] },
        })
      : undefined;

    const routes = [
      { method: "GET", authorizer: undefined },
      // the decision: with a JWT authorizer, API Gateway rejects requests without a valid token before the function runs
      { method: "POST", authorizer },
    ] as const;
    for (const route of routes) {
      new Apigatewayv2Route(this, `${route.method}Route`, {
        provider,
        apiId: this.api.id,
        routeKey: `${route.method} /approvals/{approvalId}`,
        target: `integrations/${integration.id}`,
        authorizationType: route.authorizer ? "JWT" : "NONE",
        authorizerId: route.authorizer?.id,
      });
      new LambdaPermission(this, `${route.method}Permission`, {
        provider,
        statementId: `approval-api-${route.method.toLowerCase()}`,
        action: "lambda:InvokeFunction",
        functionName: props.callback.functionName,
        principal: "apigateway.amazonaws.com",
        // any stage (there is only $default), this method, this path; the path parameter as API Gateway reports it
        sourceArn: `${this.api.executionArn}/*/${route.method}/approvals/*`,
      });
    }

    this.stage = new Apigatewayv2Stage(this, "Stage", {
      provider,
      apiId: this.api.id,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: APPROVAL_API_RATE_LIMIT, throttlingBurstLimit: APPROVAL_API_BURST_LIMIT, detailedMetricsEnabled: true },
      accessLogSettings: { destinationArn: this.logGroup.arn, format: JSON.stringify(approvalAccessLogFormat) },
    });
  }

  /** The base URL approval links start with. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
