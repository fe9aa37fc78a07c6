import { loadFunctionArtifacts } from "../../functions/artifacts.js";
import { ComplianceReporting } from "../../stacks/compliance/index.js";
import { exampleConfig, exampleNaming, synthConstruct } from "./construct-synth.js";
import { bySid, statementsOf } from "./policies.js";
import { bodiesOf, type Block, type TerraformJson } from "./terraform-json.js";

/** The central compliance construct alone, synthesized for a config (the example's unless told), with the built functions. */

/** The central key the construct is given: its ARN appears in the encryption settings tests check. */
export const centralKey = { arn: "arn:aws:kms:us-east-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
/** The platform team's topic the construct's alarms notify. */
export const alarmTopic = { arn: "arn:aws:sns:us-east-1:100000000001:patchline-notifications" };

export function synthCompliance(config = exampleConfig): TerraformJson {
  const artifacts = loadFunctionArtifacts();
  return synthConstruct(
    (stack, provider) => new ComplianceReporting(stack, "Compliance", { config, naming: exampleNaming, artifacts, key: centralKey, alarmTopic, provider }),
  );
}

/** The resource of a type whose `field` (default `name`) is `name`; throws naming what is missing. */
export const namedIn =
  (json: TerraformJson) =>
  (type: string, name: string, field = "name"): Block => {
    const found = bodiesOf(json, type).find((b) => b[field] === name);
    if (!found) throw new Error(`no ${type} with ${field} ${name}`);
    return found;
  };

/** A compliance function's role policy statements by sid. */
export const functionStatementsIn = (json: TerraformJson) => (functionName: string) =>
  bySid(
    statementsOf(
      json,
      "aws_iam_role_policy",
      "policy",
      (b) => String(b.role).includes(`Functions_${functionName}`) || String(b.role).includes(`_${functionName}_`),
    ),
  );
