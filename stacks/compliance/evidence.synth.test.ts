import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { parseFleetCatalog } from "../../contracts/fleet-catalog.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf, type Block } from "../../test/support/terraform-json.js";
import { functionStatementsIn, namedIn, synthCompliance } from "../../test/support/compliance-synth.js";

/** The evidence of promoted-from environments in the central stack: its bucket, the catalog's switch, the report's grant. */

const synth = synthCompliance;
const json = synth();
const named = namedIn(json);
const functionStatements = functionStatementsIn(json);

describe("the evidence bucket", () => {
  it("keeps evidence write-once: versioned, SSE-S3, under Object Lock in compliance mode for the retention, expiring only after it", () => {
    const evidence = (type: string, from = json) => bodiesOf(from, type).filter((b) => String(b.bucket).includes("Storage_Evidence"));
    expect(named("aws_s3_bucket", "patchline-evidence-100000000001-us-east-1", "bucket").object_lock_enabled).toBe(true);
    // the other buckets stay as they were
    expect(bodiesOf(json, "aws_s3_bucket").filter((b) => b.object_lock_enabled !== undefined)).toHaveLength(1);
    expect(evidence("aws_s3_bucket_object_lock_configuration")).toEqual([
      expect.objectContaining({
        rule: { default_retention: { mode: "COMPLIANCE", days: 400 } },
        depends_on: [expect.stringMatching(/^aws_s3_bucket_versioning\.Compliance_Storage_Evidence_Versioning_/)],
      }),
    ]);
    expect(bodiesOf(json, "aws_s3_bucket_object_lock_configuration")).toHaveLength(1);
    expect(evidence("aws_s3_bucket_versioning")[0]!.versioning_configuration).toEqual({ status: "Enabled" });
    expect(evidence("aws_s3_bucket_server_side_encryption_configuration")[0]!.rule).toEqual([
      expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }),
    ]);
    const [rule] = evidence("aws_s3_bucket_lifecycle_configuration")[0]!.rule as Block[];
    expect(rule).toMatchObject({ expiration: [{ days: 400 }], noncurrent_version_expiration: [{ noncurrent_days: 400 }] });

    const shorter = synth(parseOrgConfig(exampleWith((d) => (d.org.compliance.evidenceRetentionDays = 90))));
    expect(evidence("aws_s3_bucket_object_lock_configuration", shorter)[0]!.rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 90 } });
    expect((evidence("aws_s3_bucket_lifecycle_configuration", shorter)[0]!.rule as Block[])[0]).toMatchObject({ expiration: [{ days: 90 }] });
  });

  it("refuses a write of a run's evidence that could replace it, and any evidence write that is not conditional", () => {
    const statements = bySid(statementsOf(json, "aws_s3_bucket_policy", "policy", (b) => String(b.bucket).includes("Storage_Evidence")));
    const everyone = [{ type: "*", identifiers: ["*"] }];
    expect(statements.EvidenceRunsAreWrittenOnce).toMatchObject({
      effect: "Deny",
      actions: ["s3:PutObject"],
      resources: ["arn:aws:s3:::patchline-evidence-100000000001-us-east-1/evidence/*/runs/*"],
      principals: everyone,
      conditions: [{ test: "Null", variable: "s3:if-none-match", values: ["true"] }],
    });
    expect(statements.EvidenceWritesAreConditional).toMatchObject({
      effect: "Deny",
      resources: ["arn:aws:s3:::patchline-evidence-100000000001-us-east-1/evidence/*"],
      conditions: [
        { test: "Null", variable: "s3:if-none-match", values: ["true"] },
        { test: "Null", variable: "s3:if-match", values: ["true"] },
      ],
    });
    // a delete marker would let a write-once PUT through again: nobody deletes evidence
    expect(statements.EvidenceIsNeverDeleted).toMatchObject({
      effect: "Deny",
      actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      resources: ["arn:aws:s3:::patchline-evidence-100000000001-us-east-1/evidence/*"],
      principals: everyone,
    });
  });

  it("collects the evidence of the environments another is promoted from, and of no other", () => {
    const catalogOf = (config = exampleConfig) => {
      const object = bodiesOf(synth(config), "aws_s3_object").find((b) => b.key === "catalog/fleet.json")!;
      return parseFleetCatalog(JSON.parse(String(object.content)));
    };
    const unpromoted = parseOrgConfig(
      exampleWith((d) => {
        for (const env of Object.values(d.environments)) delete env.promotion;
      }),
    );
    expect(catalogOf(unpromoted).environments.map((e) => [e.name, e.collectEvidence])).toEqual([
      ["dev", false],
      ["preprod", false],
      ["prod", false],
    ]);
    const promoted = parseOrgConfig(exampleWith((d) => (d.environments.prod.promotion = { from: "preprod" })));
    expect(catalogOf(promoted).environments.map((e) => [e.name, e.collectEvidence])).toEqual([
      ["dev", false],
      ["preprod", true],
      ["prod", false],
    ]);
  });
});

describe("the report function", () => {
  it("tells the report the evidence bucket and lets it read and write below its evidence prefix only", () => {
    const fn = named("aws_lambda_function", "patchline-compliance-report", "function_name");
    expect((fn.environment as Block).variables).toMatchObject({ EVIDENCE_BUCKET: "patchline-evidence-100000000001-us-east-1" });
    expect(functionStatements("compliance-report").WriteEvidence).toMatchObject({
      actions: ["s3:GetObject", "s3:PutObject"],
      resources: ["arn:aws:s3:::patchline-evidence-100000000001-us-east-1/evidence/*"],
    });
  });
});
