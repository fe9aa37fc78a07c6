import { describe, expect, it } from "vitest";
import { synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { LambdaFunction } from "./lambda-function.js";
import { fileURLToPath } from "node:url";

// any existing file stands in for a built zip: the construct only copies and hashes what it is given
const artifact = {
  name: "demo",
  zipPath: fileURLToPath(import.meta.url),
  sha256Base64: "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=",
  sha256Hex: "abc123",
  bytes: 10,
};

describe("LambdaFunction", () => {
  const json = synthConstruct(
    (stack, provider) =>
      new LambdaFunction(stack, "Fn", {
        functionName: "patchline-demo",
        description: "demo",
        artifact,
        accountId: "100000000001",
        statements: [{ sid: "ReadTable", actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:us-east-1:100000000001:table/t"] }],
        environment: { TABLE: "t" },
        logRetentionDays: 365,
        logKey: { arn: "arn:aws:kms:us-east-1:100000000001:key/k" },
        reservedConcurrency: 5,
        provider,
      }),
  );

  it("runs nodejs22.x on arm64 from the built zip, with its hash as source_code_hash", () => {
    expect(bodiesOf(json, "aws_lambda_function")[0]).toMatchObject({
      function_name: "patchline-demo",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      source_code_hash: artifact.sha256Base64,
      reserved_concurrent_executions: 5,
      tracing_config: { mode: "Active" },
      logging_config: { log_format: "JSON" },
      environment: { variables: { POWERTOOLS_SERVICE_NAME: "patchline-demo", TABLE: "t" } },
    });
  });

  it("logs to its own encrypted group with retention", () => {
    expect(bodiesOf(json, "aws_cloudwatch_log_group")[0]).toMatchObject({
      name: "/aws/lambda/patchline-demo",
      retention_in_days: 365,
      kms_key_id: "arn:aws:kms:us-east-1:100000000001:key/k",
    });
  });

  it("grants its role the given statements plus its own logs and traces", () => {
    const statements = bySid(statementsOf(json, "aws_iam_role_policy", "policy"));
    expect(Object.keys(statements)).toEqual(["WriteOwnLogs", "WriteTraces", "ReadTable"]);
    expect(statements.WriteOwnLogs!.resources).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..+\.arn\}:\*$/)]);
  });
});
