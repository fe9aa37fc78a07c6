import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { parseFleetCatalog } from "../../contracts/fleet-catalog.js";
import { historyEnvironmentColumns } from "../../contracts/compliance-history.js";
import { missingPatchColumns } from "../../contracts/patch-sla.js";
import { exampleWith } from "../../test/support/config.js";
import { functionStatementsIn, namedIn, synthCompliance } from "../../test/support/compliance-synth.js";
import { bodiesOf, type Block } from "../../test/support/terraform-json.js";
import { LATEST_RUN_WINDOW_DAYS } from "./latest-run.js";

/** The patch SLA in the central compliance construct: the missing_patches table, its queries, the collector's grants. */
const json = synthCompliance();
const named = namedIn(json);
const withoutSla = synthCompliance(parseOrgConfig(exampleWith((d) => delete d.org.compliance.sla)));
const dataBucket = "patchline-patch-data-100000000001-us-east-1";

describe("the missing_patches table", () => {
  const table = named("aws_glue_catalog_table", "missing_patches");

  it("reads the collector's JSON lines below missing-patches/, every column of the contract with its type", () => {
    const storage = table.storage_descriptor as Block;
    expect(storage.location).toBe(`s3://${dataBucket}/missing-patches/`);
    expect(storage.ser_de_info).toMatchObject({ serialization_library: "org.openx.data.jsonserde.JsonSerDe" });
    expect(storage.columns).toEqual(Object.entries(missingPatchColumns).map(([name, type]) => ({ name, type })));
  });

  it("is partitioned by the run's date with partition projection from a fixed first day to today: no crawler, no partition list", () => {
    expect(table.partition_keys).toEqual([{ name: "run_date", type: "string" }]);
    expect(table.parameters).toEqual({
      classification: "json",
      "projection.enabled": "true",
      "projection.run_date.type": "date",
      "projection.run_date.format": "yyyy-MM-dd",
      "projection.run_date.range": "2026-12-01,NOW",
      "projection.run_date.interval": "1",
      "projection.run_date.interval.unit": "DAYS",
      // Terraform reads "$${" as a literal "${": Athena receives the template with its placeholder
      "storage.location.template": `s3://${dataBucket}/missing-patches/run_date=$\${run_date}/`,
    });
    expect(bodiesOf(json, "aws_glue_crawler")).toEqual([]);
  });

  it("is there without an SLA too: switching one on changes no table", () => {
    expect(namedIn(withoutSla)("aws_glue_catalog_table", "missing_patches")).toEqual(table);
  });
});

describe("the SLA queries", () => {
  const queries = Object.fromEntries(bodiesOf(json, "aws_athena_named_query").map((q) => [String(q.name), String(q.query)]));
  const sla = ["patchline-sla-breaches-latest-run", "patchline-oldest-missing-patches"];

  it("are saved in the workgroup", () => {
    expect(Object.keys(queries)).toEqual(expect.arrayContaining(sla));
    for (const name of sla)
      expect(named("aws_athena_named_query", name)).toMatchObject({
        database: expect.stringMatching(/^\$\{aws_glue_catalog_database\.Compliance_Analytics_Database_[0-9A-F]{8}\.name\}$/),
        workgroup: expect.stringMatching(/^\$\{aws_athena_workgroup\.Compliance_Analytics_Workgroup_[0-9A-F]{8}\.name\}$/),
      });
  });

  it("read only columns the tables have", () => {
    for (const name of sla) {
      const sql = queries[name]!;
      const used = [...sql.matchAll(/\bm\.([a-z_]+)/g)].map((m) => m[1]!);
      expect(used.filter((column) => !(column in missingPatchColumns) && column !== "run_date")).toEqual([]);
      const history = [...sql.matchAll(/SELECT ([\s\S]*?) FROM history_environments/g)].flatMap((m) => m[1]!.match(/\b[a-z_]+\b/g) ?? []);
      expect(history.filter((word) => !(word in historyEnvironmentColumns) && !["max_by", "from_iso8601_timestamp", "as"].includes(word))).toEqual([]);
    }
  });

  it("read the latest run of each environment, in the partitions of recent days only", () => {
    for (const name of sla) {
      const sql = queries[name]!;
      // by start time, as the QuickSight data sets pick it (stacks/compliance/latest-run.ts)
      expect(sql).toContain(
        "WITH latest AS (SELECT environment AS environment, max_by(run_id, from_iso8601_timestamp(started_at)) AS run_id FROM history_environments GROUP BY environment)",
      );
      expect(sql).toContain("JOIN latest l ON l.environment = m.environment AND l.run_id = m.run_id");
      expect(sql).toContain(`WHERE m.run_date >= date_format(date_add('day', -${LATEST_RUN_WINDOW_DAYS}, current_date), '%Y-%m-%d')`);
    }
    expect(queries["patchline-sla-breaches-latest-run"]).toContain("count(DISTINCT CASE WHEN m.breach THEN m.instance_id END) AS instances_in_breach");
    expect(queries["patchline-sla-breaches-latest-run"]).toContain("GROUP BY m.environment, m.account_name, m.account_id");
    expect(queries["patchline-oldest-missing-patches"]).toMatch(/ORDER BY m\.age_days DESC[\s\S]*LIMIT 1000$/);
  });
});

describe("the collector with a patch SLA", () => {
  const collector = (tf = json) => bodiesOf(tf, "aws_lambda_function").find((f) => f.function_name === "patchline-compliance-collector")!;

  it("may write exactly the missing patches of the data bucket, which it is told", () => {
    expect(functionStatementsIn(json)("compliance-collector").WriteMissingPatches).toMatchObject({
      effect: "Allow",
      actions: ["s3:PutObject"],
      notActions: [],
      resources: [`arn:aws:s3:::${dataBucket}/missing-patches/*`],
      notResources: [],
      conditions: [],
    });
    expect((collector().environment as Block).variables).toMatchObject({ DATA_BUCKET: dataBucket });
  });

  it("may not write there without an SLA", () => {
    expect(functionStatementsIn(withoutSla)("compliance-collector").WriteMissingPatches).toBeUndefined();
  });

  it("reads the SLA from the fleet catalog, which has none without one", () => {
    const catalogOf = (tf = json) => parseFleetCatalog(JSON.parse(String(namedIn(tf)("aws_s3_object", "catalog/fleet.json", "key").content)));
    expect(catalogOf().sla).toEqual({ Critical: 14, Important: 30 });
    expect(catalogOf(withoutSla).sla).toBeUndefined();
  });

  it("expires the missing patches with the reports", () => {
    const lifecycle = bodiesOf(json, "aws_s3_bucket_lifecycle_configuration").find((b) => String(b.bucket).includes("Data"))!;
    const rule = (lifecycle.rule as Block[]).find((r) => (r.filter as Block[])[0]!.prefix === "missing-patches/")!;
    expect(rule.expiration).toEqual([{ days: 400 }]);
  });
});
