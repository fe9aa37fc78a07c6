import type { Rule } from "../rule.js";
import { resourcesOf, type Block } from "../../support/terraform-json.js";

export const athenaResultsEncrypted: Rule = {
  id: "ATH1",
  description: "Every Athena workgroup enforces its configuration and encrypts query results with KMS",
  explanation:
    "Query results hold instance ids, names and owners; an unenforced workgroup lets a client write them elsewhere or unencrypted (checkov CKV_AWS_82, Security Hub Athena.4).",
  check: (json) =>
    resourcesOf(json, "aws_athena_workgroup").flatMap(([name, body]) => {
      const config = (body.configuration as Block | undefined) ?? {};
      const encryption = (config.result_configuration as Block | undefined)?.encryption_configuration as Block | undefined;
      const problems: string[] = [];
      if (config.enforce_workgroup_configuration !== true) problems.push("does not enforce its configuration");
      if (!["SSE_KMS", "CSE_KMS"].includes(String(encryption?.encryption_option)) || typeof encryption?.kms_key_arn !== "string")
        problems.push("does not encrypt results with a KMS key");
      return problems.map((message) => ({ resource: `aws_athena_workgroup.${name}`, message }));
    }),
};
