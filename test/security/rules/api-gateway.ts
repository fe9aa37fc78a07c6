import type { Finding, Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

const throttled = (settings: Block | undefined) =>
  typeof settings?.throttling_rate_limit === "number" &&
  settings.throttling_rate_limit > 0 &&
  typeof settings.throttling_burst_limit === "number" &&
  settings.throttling_burst_limit > 0;

/** Access log variables that would write a request's path or query string (links carry ids and signatures there). */
const leakyVariables = [/\$context\.path\b/i, /querystring/i];

export const apiStagesThrottledAndLogged: Rule = {
  id: "API1",
  description: "Every HTTP API stage throttles every route and writes access logs without paths or query strings",
  explanation:
    "No scanner checks HTTP API throttling (serverless-rules aws_apigatewayv2_stage_throttling_rule); it caps what abuse costs. Access logs (Security Hub APIGateway.9) must not copy URLs whose query carries link signatures (research §2.3b).",
  check: (json) =>
    resourcesOf(json, "aws_apigatewayv2_stage").flatMap(([name, body]) => {
      const resource = `aws_apigatewayv2_stage.${name}`;
      const findings: Finding[] = [];
      if (!throttled(body.default_route_settings as Block | undefined))
        findings.push({ resource, message: "has no default route throttling (rate and burst limits)" });
      const routeSettings = Array.isArray(body.route_settings) ? (body.route_settings as Block[]) : body.route_settings ? [body.route_settings as Block] : [];
      for (const route of routeSettings)
        if (!throttled(route)) findings.push({ resource, message: `route ${String(route.route_key)} overrides throttling without limits` });
      const logs = body.access_log_settings as Block | undefined;
      if (typeof logs?.destination_arn !== "string" || typeof logs.format !== "string") findings.push({ resource, message: "writes no access logs" });
      else if (leakyVariables.some((v) => v.test(String(logs.format))))
        findings.push({ resource, message: "access log format writes request paths or query strings" });
      return findings;
    }),
};
