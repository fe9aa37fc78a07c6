import type { Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

export const configRulesScopedWithoutCode: Rule = {
  id: "CFG1",
  description: "Every AWS Config rule is scoped to resource types and is an AWS managed or Guard policy rule",
  explanation:
    "An unscoped rule evaluates every recorded resource of the account (cost, noise); a custom Lambda rule puts code and a role into every member account where a Guard policy needs neither.",
  check: (json) =>
    resourcesOf(json, "aws_config_config_rule").flatMap(([name, body]) => {
      const problems: string[] = [];
      const types = (body.scope as Block | undefined)?.compliance_resource_types;
      if (!Array.isArray(types) || types.length === 0) problems.push("is not scoped to resource types");
      const source = (body.source as Block | undefined) ?? {};
      if (source.owner === "CUSTOM_LAMBDA") problems.push("runs a custom Lambda function");
      if (source.owner === "CUSTOM_POLICY" && (source.custom_policy_details as Block | undefined)?.policy_runtime !== "guard-2.x.x")
        problems.push("has no Guard 2 policy");
      return problems.map((message) => ({ resource: `aws_config_config_rule.${name}`, message }));
    }),
};
