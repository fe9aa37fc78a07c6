import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { parseFleetCatalog } from "../../contracts/fleet-catalog.js";
import { exampleWith } from "../../test/support/config.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf, type Block } from "../../test/support/terraform-json.js";
import { functionStatementsIn, namedIn, synthCompliance } from "../../test/support/compliance-synth.js";

/** The run history in the central stack: where it is kept and for how long, its Athena tables and query, the report's grants. */

const synth = synthCompliance;
const json = synth();
const named = namedIn(json);
const functionStatements = functionStatementsIn(json);
const dataBucket = "patchline-patch-data-100000000001-us-east-1";

describe("the run history's storage", () => {
  const dataLifecycle = (from = json) =>
    (bodiesOf(from, "aws_s3_bucket_lifecycle_configuration").find((b) => String(b.bucket).includes("Storage_Data"))!.rule as Block[]).map((r) => [
      (r.filter as Block[])[0]!.prefix,
      (r.expiration as Block[])[0]!.days,
    ]);

  it("keeps history/ of the compliance data bucket for its own retention, longer than the reports by default", () => {
    expect(dataLifecycle()).toContainEqual(["history/", 1095]);
    expect(dataLifecycle()).toContainEqual(["resource-data-sync/", 400]);
    const shorter = synth(parseOrgConfig(exampleWith((d) => (d.org.compliance.historyRetentionDays = 200))));
    expect(dataLifecycle(shorter)).toContainEqual(["history/", 200]);
    expect(dataLifecycle(shorter)).toContainEqual(["resource-data-sync/", 400]);
  });

  it("refuses a history write that could replace an earlier one: only write-once PUTs, whoever asks", () => {
    const statements = bySid(statementsOf(json, "aws_s3_bucket_policy", "policy", (b) => String(b.bucket).includes("Storage_Data")));
    expect(statements.RunHistoryIsWrittenOnce).toEqual(
      expect.objectContaining({
        effect: "Deny",
        actions: ["s3:PutObject"],
        resources: [`arn:aws:s3:::${dataBucket}/history/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        conditions: [{ test: "Null", variable: "s3:if-none-match", values: ["true"] }],
      }),
    );
  });

  it("lets no one delete history: a delete marker on the versioned bucket would let a second write-once PUT replace a run's record", () => {
    const statements = bySid(statementsOf(json, "aws_s3_bucket_policy", "policy", (b) => String(b.bucket).includes("Storage_Data")));
    expect(statements.RunHistoryIsNeverDeleted).toEqual(
      expect.objectContaining({
        effect: "Deny",
        actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        resources: [`arn:aws:s3:::${dataBucket}/history/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
      }),
    );
    expect(statements.RunHistoryIsNeverDeleted!.conditions ?? []).toEqual([]);
  });
});

describe("the run history's Athena tables", () => {
  const table = (name: string) => named("aws_glue_catalog_table", name);
  const columns = (name: string) => ((table(name).storage_descriptor as Block).columns as Block[]).map((c) => `${c.name} ${c.type}`);

  it("reads history_environments below history/environments/, JSON lines, counts as int", () => {
    expect((table("history_environments").storage_descriptor as Block).location).toBe(`s3://${dataBucket}/history/environments/`);
    expect((table("history_environments").storage_descriptor as Block).ser_de_info).toMatchObject({
      serialization_library: "org.openx.data.jsonserde.JsonSerDe",
    });
    expect(table("history_environments").partition_keys).toBeUndefined();
    expect(columns("history_environments")).toEqual([
      "run_id string",
      "started_at string",
      "environment string",
      "targets int",
      "unreachable int",
      "managed int",
      "compliant int",
      "non_compliant int",
      "pending_reboot int",
      "failed int",
      "not_covered int",
      "sla_breaches int",
    ]);
  });

  it("reads history_targets below history/targets/, unreachable ones with their reason", () => {
    expect((table("history_targets").storage_descriptor as Block).location).toBe(`s3://${dataBucket}/history/targets/`);
    expect(columns("history_targets")).toEqual([
      "run_id string",
      "started_at string",
      "environment string",
      "account_id string",
      "account_name string",
      "region string",
      "status string",
      "reason string",
      "managed int",
      "compliant int",
      "non_compliant int",
      "pending_reboot int",
      "failed int",
      "not_covered int",
      "sla_breaches int",
    ]);
  });

  it("saves a query of compliance per environment over time, rounded down as the report shows it", () => {
    const query = named("aws_athena_named_query", "patchline-compliance-per-environment-over-time");
    expect(query).toMatchObject({
      database: expect.stringMatching(/^\$\{aws_glue_catalog_database\.Compliance_Analytics_Database_[0-9A-F]{8}\.name\}$/),
      workgroup: expect.stringMatching(/^\$\{aws_athena_workgroup\.Compliance_Analytics_Workgroup_[0-9A-F]{8}\.name\}$/),
    });
    expect(String(query.query)).toContain("CASE WHEN managed = 0 THEN NULL ELSE (100 * compliant) / managed END AS compliance_percent");
    expect(String(query.query)).toContain("FROM history_environments\nORDER BY environment, from_iso8601_timestamp(started_at)");
  });
});

describe("the report function and the history", () => {
  it("tells the report the data bucket, and lets it list only the environments' history and read and write only below history/", () => {
    const fn = named("aws_lambda_function", "patchline-compliance-report", "function_name");
    expect((fn.environment as Block).variables).toMatchObject({ HISTORY_BUCKET: dataBucket });
    const statements = functionStatements("compliance-report");
    expect(statements.ListRunHistory).toEqual(
      expect.objectContaining({
        actions: ["s3:ListBucket"],
        resources: [`arn:aws:s3:::${dataBucket}`],
        conditions: [{ test: "StringEquals", variable: "s3:prefix", values: ["history/environments/"] }],
      }),
    );
    expect(statements.ReadWriteRunHistory).toEqual(
      expect.objectContaining({ actions: ["s3:GetObject", "s3:PutObject"], resources: [`arn:aws:s3:::${dataBucket}/history/*`], conditions: [] }),
    );
    // nothing else of the data bucket
    const onData = Object.values(statements).filter((s) => s.resources.some((r) => r.includes(dataBucket)));
    expect(onData.map((s) => s.sid).sort()).toEqual(["ListRunHistory", "ReadWriteRunHistory"]);
  });

  it("tells the report how many runs the trend shows, through the fleet catalog", () => {
    const catalogOf = (from = json) =>
      parseFleetCatalog(JSON.parse(String(bodiesOf(from, "aws_s3_object").find((b) => b.key === "catalog/fleet.json")!.content)));
    expect(catalogOf().trendRuns).toBe(30);
    expect(catalogOf(synth(parseOrgConfig(exampleWith((d) => (d.org.compliance.trendRuns = 90))))).trendRuns).toBe(90);
    // a catalog written before the trend existed means the default
    const { trendRuns: _, ...older } = JSON.parse(String(named("aws_s3_object", "catalog/fleet.json", "key").content));
    expect(parseFleetCatalog(older).trendRuns).toBe(30);
  });
});
