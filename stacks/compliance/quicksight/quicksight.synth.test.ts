import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../../environments/schema/index.js";
import { centralKey, namedIn, synthCompliance } from "../../../test/support/compliance-synth.js";
import { exampleWith } from "../../../test/support/config.js";
import { bySid, statementsOf } from "../../../test/support/policies.js";
import { bodiesOf, resourcesOf, type Block } from "../../../test/support/terraform-json.js";
import { dataSetKeys, dataSetSpecs } from "./data-sets.js";

const json = synthCompliance();
const named = namedIn(json);
const platform = "arn:aws:quicksight:us-east-1:100000000001:group/default/patchline-platform-team";
const security = "arn:aws:quicksight:us-east-1:100000000001:group/default/security-governance";

describe("the QuickSight dashboard of the example organization", () => {
  it("queries Athena in a workgroup of its own, results encrypted with the central key below the expiring Athena prefix", () => {
    expect(named("aws_athena_workgroup", "patchline-quicksight").configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      bytes_scanned_cutoff_per_query: 10 * 1024 ** 3,
      result_configuration: {
        output_location: "s3://patchline-reports-100000000001-us-east-1/athena-results/quicksight/",
        encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: centralKey.arn },
      },
    });
    const source = named("aws_quicksight_data_source", "patchline-compliance", "data_source_id");
    expect(source).toMatchObject({
      type: "ATHENA",
      aws_account_id: "100000000001",
      parameters: { athena: { work_group: expect.stringMatching(/^\$\{aws_athena_workgroup\.Compliance_QuickSight_Workgroup_[0-9A-F]{8}\.name\}$/) } },
    });
    // QuickSight checks its access when it creates the data source: the policy is attached first
    expect(source.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]);
  });

  it("defines the three data sets with the SQL and columns of their specs, imported into SPICE and refreshed daily at the configured time", () => {
    const specs = dataSetSpecs("patchline_compliance");
    for (const key of dataSetKeys) {
      const dataSet = named("aws_quicksight_data_set", `patchline-compliance-${key.replace(/_/g, "-")}`, "data_set_id");
      expect(dataSet.import_mode).toBe("SPICE");
      const sql = (dataSet.physical_table_map as Block[])[0]!.custom_sql as Block;
      expect(sql.sql_query).toBe(specs[key].sql);
      expect(sql.columns).toEqual(specs[key].columns.map((c) => ({ name: c.name, type: c.type })));
      expect(dataSet.permissions).toEqual([
        { principal: platform, actions: expect.arrayContaining(["quicksight:UpdateDataSet", "quicksight:CreateIngestion"]) },
      ]);
    }
    // a SPICE data set is imported when it is created: after the Glue tables it reads
    const dependsOn = (key: string) => named("aws_quicksight_data_set", `patchline-compliance-${key}`, "data_set_id").depends_on;
    expect(dependsOn("missing-patches")).toEqual([
      expect.stringMatching(/^aws_glue_catalog_table\.Compliance_Analytics_.*history_environments/),
      expect.stringMatching(/^aws_glue_catalog_table\.Compliance_Analytics_.*missing_patches/),
    ]);
    expect(dependsOn("target-results")).toEqual([expect.stringMatching(/history_environments/), expect.stringMatching(/history_targets/)]);
    const schedules = bodiesOf(json, "aws_quicksight_refresh_schedule");
    expect(schedules).toHaveLength(3);
    for (const schedule of schedules)
      expect(schedule.schedule).toEqual([
        { refresh_type: "FULL_REFRESH", schedule_frequency: [{ interval: "DAILY", time_of_the_day: "09:00", timezone: "Europe/Berlin" }] },
      ]);
  });

  it("publishes the dashboard from the analysis's definition, viewers seeing the dashboard only", () => {
    const analysis = named("aws_quicksight_analysis", "patchline-compliance", "analysis_id");
    const dashboard = named("aws_quicksight_dashboard", "patchline-compliance", "dashboard_id");
    expect(dashboard.definition).toEqual(analysis.definition);
    expect((analysis.permissions as Block[]).map((p) => p.principal)).toEqual([platform]);
    expect(dashboard.permissions).toEqual([
      expect.objectContaining({ principal: platform }),
      { principal: security, actions: ["quicksight:DescribeDashboard", "quicksight:ListDashboardVersions", "quicksight:QueryDashboard"] },
    ]);
    expect((dashboard.definition as Block).data_set_identifiers_declarations).toEqual(
      dataSetKeys.map((identifier) => ({
        identifier,
        data_set_arn: expect.stringMatching(new RegExp(`^\\$\\{aws_quicksight_data_set\\.Compliance_QuickSight_DataSet_${identifier}_[0-9A-F]{8}\\.arn\\}$`)),
      })),
    );
  });

  it("attaches to QuickSight's service role a policy for the dashboard's tables, results and key, and nothing else", () => {
    expect(bodiesOf(json, "aws_iam_role_policy_attachment")).toEqual([
      expect.objectContaining({
        role: "aws-quicksight-service-role-v0",
        policy_arn: expect.stringMatching(/^\$\{aws_iam_policy\.Compliance_QuickSight_AccessPolicy_[0-9A-F]{8}\.arn\}$/),
      }),
    ]);
    const statements = bySid(statementsOf(json, "aws_iam_policy", "policy", (b) => b.name === "patchline-quicksight-access"));
    expect(statements.RunQueriesInTheQuickSightWorkgroup!.resources).toEqual(["arn:aws:athena:us-east-1:100000000001:workgroup/patchline-quicksight"]);
    expect(statements.ReadTheDashboardsTables!.resources).toEqual([
      "arn:aws:glue:us-east-1:100000000001:catalog",
      "arn:aws:glue:us-east-1:100000000001:database/patchline_compliance",
      "arn:aws:glue:us-east-1:100000000001:table/patchline_compliance/history_environments",
      "arn:aws:glue:us-east-1:100000000001:table/patchline_compliance/history_targets",
      "arn:aws:glue:us-east-1:100000000001:table/patchline_compliance/missing_patches",
    ]);
    expect(statements.ReadTheTablesObjects!.resources).toEqual([
      "arn:aws:s3:::patchline-patch-data-100000000001-us-east-1/history/*",
      "arn:aws:s3:::patchline-patch-data-100000000001-us-east-1/missing-patches/*",
    ]);
    expect(statements.WriteAndReadQueryResults!.resources).toEqual(["arn:aws:s3:::patchline-reports-100000000001-us-east-1/athena-results/quicksight/*"]);
    expect(statements.EncryptAndDecryptQueryResultsThroughS3).toMatchObject({
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [centralKey.arn],
      conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] }],
    });
    // no resource data sync data, no other workgroup's results
    const resources = Object.values(statements).flatMap((s) => s.resources);
    expect(resources.some((r) => r.includes("resource-data-sync") || r.endsWith("athena-results/*"))).toBe(false);
  });

  it("reads only columns the Glue tables of the compliance data have", () => {
    const tables = new Map(
      bodiesOf(json, "aws_glue_catalog_table").map((t) => {
        const descriptor = (Array.isArray(t.storage_descriptor) ? t.storage_descriptor[0] : t.storage_descriptor) as Block;
        const names = [...((descriptor.columns as Block[] | undefined) ?? []), ...((t.partition_keys as Block[] | undefined) ?? [])].map((c) => String(c.name));
        return [String(t.name), names];
      }),
    );
    for (const spec of Object.values(dataSetSpecs("patchline_compliance"))) {
      for (const read of spec.reads) {
        const [table, column] = read.split(".") as [string, string];
        expect(tables.get(table), `${spec.key}: ${read}`).toContain(column);
      }
    }
  });

  it("takes a service role of the configuration, and imports nothing into SPICE with a direct query", () => {
    const custom = synthCompliance(
      parseOrgConfig(
        exampleWith((d) => {
          d.org.compliance.quicksight.serviceRoleArn = "arn:aws:iam::100000000001:role/quicksight/patchline-dashboards";
          d.org.compliance.quicksight.importMode = "DIRECT_QUERY";
          delete d.org.compliance.quicksight.refresh;
        }),
      ),
    );
    expect(bodiesOf(custom, "aws_iam_role_policy_attachment").map((a) => a.role)).toEqual(["patchline-dashboards"]);
    expect(new Set(bodiesOf(custom, "aws_quicksight_data_set").map((d) => d.import_mode))).toEqual(new Set(["DIRECT_QUERY"]));
    expect(resourcesOf(custom, "aws_quicksight_refresh_schedule")).toEqual([]);
  });

  it("renders nothing of QuickSight when it is not configured", () => {
    const without = synthCompliance(parseOrgConfig(exampleWith((d) => delete d.org.compliance.quicksight)));
    const types = Object.keys(without.resource ?? {});
    expect(types.filter((t) => t.startsWith("aws_quicksight_") || t === "aws_iam_role_policy_attachment")).toEqual([]);
    expect(bodiesOf(without, "aws_athena_workgroup").map((w) => w.name)).toEqual(["patchline-compliance"]);
    expect(bodiesOf(without, "aws_iam_policy")).toEqual([]);
  });
});
