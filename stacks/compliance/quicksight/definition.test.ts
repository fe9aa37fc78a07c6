import { describe, expect, it } from "vitest";
import { expandAction } from "../../../test/security/iam-catalog.js";
import { definitionProblems } from "./check.js";
import { contractTables, type ContractTable } from "./contract.js";
import { dataSetKeys, dataSetSpecs, passThroughType, type DataSetKey } from "./data-sets.js";
import { LATEST_RUN_WINDOW_DAYS } from "../latest-run.js";
import { calculatedFields, dashboardDefinition, filters, sheets } from "./definition.js";
import type { Block } from "./fields.js";
import { quickSightActions, quickSightPermissions } from "./permissions.js";
import { readFileSync } from "node:fs";
import { problemsAgainst, type ApiModel } from "../../../test/support/api-model.js";
import { EXCERPT_FILE, definitionRoots } from "../../../tools/quicksight-api.js";
import { toApiShape, type QuickSightModel } from "../../../tools/quicksight-api/convert.js";

const specs = dataSetSpecs("patchline_compliance");
const arns = Object.fromEntries(dataSetKeys.map((k) => [k, `arn:aws:quicksight:us-east-1:100000000001:dataset/patchline-compliance-${k}`])) as Record<
  DataSetKey,
  string
>;
const columns = Object.fromEntries(dataSetKeys.map((k) => [k, specs[k].columns.map((c) => c.name)]));
const definition = dashboardDefinition(arns);

// biome-ignore lint/suspicious/noExplicitAny: the copies are broken on purpose, deep inside, by path
type Loose = any;
/** A deep copy to break on purpose. */
const copy = (): Loose => structuredClone(definition);
const visualsOf = (sheetId: string) => sheets.find((s) => s.id === sheetId)!.visuals.map((v) => Object.values(v.block)[0] as Block);
/** Every `{ data_set_identifier, column_name }` in a block. */
const refsIn = (value: unknown): { dataSet: string; column: string }[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== "object") return [];
  const block = value as Block;
  const own =
    block.data_set_identifier !== undefined && block.column_name !== undefined
      ? [{ dataSet: String(block.data_set_identifier), column: String(block.column_name) }]
      : [];
  return [...own, ...Object.values(block).flatMap(refsIn)];
};

describe("the dashboard's data sets", () => {
  it("read only columns of the shared data contract's tables", () => {
    for (const spec of Object.values(specs)) {
      expect(spec.reads.length).toBeGreaterThan(0);
      for (const read of spec.reads) {
        const [table, column] = read.split(".") as [ContractTable, string];
        expect(Object.keys(contractTables), `${spec.key}: ${read}`).toContain(table);
        expect(Object.keys(contractTables[table]), `${spec.key}: ${read}`).toContain(column);
      }
    }
    expect(specs.missing_patches.reads).toEqual(
      expect.arrayContaining(["missing_patches.run_date", "missing_patches.breach", "history_environments.started_at"]),
    );
  });

  it("declare each column once, as the SQL names it, and keep the contract's type for what they pass through", () => {
    for (const spec of Object.values(specs)) {
      const names = spec.columns.map((c) => c.name);
      expect(new Set(names).size, spec.key).toBe(names.length);
      for (const column of spec.columns) {
        expect(spec.sql, `${spec.key}.${column.name}`).toContain(` AS ${column.name}`);
        if (column.passes) {
          const athenaType = (contractTables[column.passes.table] as Record<string, string>)[column.passes.column] as keyof typeof passThroughType;
          expect(column.type, `${spec.key}.${column.name}`).toBe(passThroughType[athenaType]);
        }
      }
    }
  });

  it("qualify the tables with the Glue database and flag each environment's latest run", () => {
    expect(specs.run_summaries.sql).toContain('FROM "patchline_compliance"."history_environments" t');
    expect(specs.target_results.sql).toContain('FROM "patchline_compliance"."history_targets" t');
    for (const spec of Object.values(specs)) {
      expect(spec.sql).toMatch(
        /^WITH latest AS \(SELECT h\.environment AS environment, max_by\(h\.run_id, from_iso8601_timestamp\(h\.started_at\)\) AS run_id FROM "patchline_compliance"\."history_environments" h GROUP BY h\.environment\)/,
      );
    }
  });

  it("read missing patches of the latest runs only, from the last weeks' partitions", () => {
    expect(specs.missing_patches.sql).toContain("JOIN latest l ON l.environment = t.environment AND l.run_id = t.run_id");
    expect(specs.missing_patches.sql).toContain(`WHERE t.run_date >= date_format(date_add('day', -${LATEST_RUN_WINDOW_DAYS}, current_date), '%Y-%m-%d')`);
  });

  it("bucket a patch's age in order, unknown ages last", () => {
    const sql = specs.missing_patches.sql;
    expect(sql).toContain(
      "CASE WHEN t.age_days IS NULL THEN 'age unknown' WHEN t.age_days <= 30 THEN '0-30 days' WHEN t.age_days <= 60 THEN '31-60 days' WHEN t.age_days <= 90 THEN '61-90 days' WHEN t.age_days <= 180 THEN '91-180 days' ELSE 'over 180 days' END AS age_bucket",
    );
    expect(sql).toContain(
      "CASE WHEN t.age_days IS NULL THEN 6 WHEN t.age_days <= 30 THEN 1 WHEN t.age_days <= 60 THEN 2 WHEN t.age_days <= 90 THEN 3 WHEN t.age_days <= 180 THEN 4 ELSE 5 END AS age_rank",
    );
    expect(sql).toContain("CASE WHEN t.sla_days IS NULL THEN 'no SLA' WHEN t.breach THEN 'past SLA' ELSE 'within SLA' END AS sla_status");
  });
});

describe("the dashboard definition", () => {
  it("is consistent: columns, calculated fields, ids, layouts, filters and controls", () => {
    expect(definitionProblems(definition, columns)).toEqual([]);
  });

  it("declares the three data sets by their ARNs", () => {
    expect(definition.data_set_identifiers_declarations).toEqual(dataSetKeys.map((identifier) => ({ identifier, data_set_arn: arns[identifier] })));
  });

  it("reads every visual's columns from the one data set it shows", () => {
    for (const sheet of sheets) {
      for (const visual of sheet.visuals) {
        const refs = refsIn(visual.block);
        expect(refs.length, visual.id).toBeGreaterThan(0);
        const [dataSet] = new Set(refs.map((r) => r.dataSet));
        for (const ref of refs) {
          expect(ref.dataSet, `${visual.id}: ${ref.column}`).toBe(dataSet);
          expect(
            [...columns[ref.dataSet as DataSetKey]!, ...calculatedFields.filter((f) => f.dataSet === dataSet).map((f) => f.name)],
            `${visual.id}: ${ref.column}`,
          ).toContain(ref.column);
        }
      }
    }
  });

  it("computes compliance as compliant of managed instances, from columns of its data set", () => {
    for (const field of calculatedFields) {
      expect(field.expression).toBe("ifelse(sum({managed}) > 0, 100 * sum({compliant}) / sum({managed}), NULL)");
      for (const [, column] of field.expression.matchAll(/\{([^}]+)\}/g)) expect(columns[field.dataSet]).toContain(column);
    }
  });

  it("shows compliance per environment and per account over time, by day", () => {
    const [environment, account] = ["environment-compliance", "account-compliance"].map(
      (id) => visualsOf("compliance-over-time").find((v) => v.visual_id === id)!,
    );
    const wells = (v: Block) => ((v.chart_configuration as Block).field_wells as Block).line_chart_aggregated_field_wells as Record<string, Block[]>;
    expect(wells(environment!).category![0]).toEqual({
      date_dimension_field: {
        field_id: "environment-compliance-day",
        column: { data_set_identifier: "run_summaries", column_name: "started_at" },
        date_granularity: "DAY",
      },
    });
    expect(refsIn(wells(environment!).colors)).toEqual([{ dataSet: "run_summaries", column: "environment" }]);
    expect(refsIn(wells(account!).colors)).toEqual([{ dataSet: "target_results", column: "account_name" }]);
    expect(refsIn(wells(account!).values)).toEqual([{ dataSet: "target_results", column: "account_compliance_percent" }]);
  });

  it("shows a day's highest count of a run over time, never a sum that two runs on one day would double", () => {
    const lines = sheets.flatMap((s) => s.visuals).flatMap((v) => (v.block.line_chart_visual ? [v.block.line_chart_visual as Block] : []));
    const aggregationOf = (id: string) => {
      const wells = ((lines.find((v) => v.visual_id === id)!.chart_configuration as Block).field_wells as Block).line_chart_aggregated_field_wells as Block;
      const value = (wells.values as Block[])[0]!.numerical_measure_field as Block;
      return (value.aggregation_function as Block | undefined)?.simple_numerical_aggregation;
    };
    expect(aggregationOf("not-covered")).toBe("MAX");
    expect(aggregationOf("unreachable-over-time")).toBe("MAX");
    // compliance is a ratio of sums (calculated, no aggregation of its own): two runs weigh by their managed instances
    expect(aggregationOf("environment-compliance")).toBeUndefined();
    // no line over time sums run counts per day
    expect(lines.map((v) => v.visual_id).filter((id) => aggregationOf(String(id)) === "SUM")).toEqual([]);
  });

  it("draws at most 10 accounts, leaving the others out rather than pooling them into an Other line", () => {
    const account = visualsOf("compliance-over-time").find((v) => v.visual_id === "account-compliance")!;
    expect(((account.chart_configuration as Block).sort_configuration as Block).color_items_limit_configuration).toEqual({
      items_limit: 10,
      other_categories: "EXCLUDE",
    });
  });

  it("counts missing patches by age bucket, stacked by severity, the buckets in age order", () => {
    const bar = visualsOf("missing-patches").find((v) => v.visual_id === "missing-by-age")!;
    const config = bar.chart_configuration as Block;
    expect(refsIn((config.field_wells as Block).bar_chart_aggregated_field_wells)).toEqual([
      { dataSet: "missing_patches", column: "age_bucket" },
      { dataSet: "missing_patches", column: "severity" },
      { dataSet: "missing_patches", column: "patch_id" },
    ]);
    expect(config.sort_configuration).toEqual({
      category_sort: [
        {
          column_sort: {
            sort_by: { data_set_identifier: "missing_patches", column_name: "age_rank" },
            direction: "ASC",
            aggregation_function: { numerical_aggregation_function: { simple_numerical_aggregation: "MIN" } },
          },
        },
      ],
    });
  });

  it("lists the top missing patches by instances and the oldest missing patches oldest first", () => {
    const tables = visualsOf("missing-patches");
    const sortOf = (id: string) => ((tables.find((v) => v.visual_id === id)!.chart_configuration as Block).sort_configuration as Block).row_sort;
    expect(sortOf("top-missing")).toEqual([{ field_sort: { field_id: "top-missing-instances", direction: "DESC" } }]);
    expect(sortOf("oldest-missing")).toEqual([{ field_sort: { field_id: "oldest-missing-age", direction: "DESC" } }]);
  });

  it("shows unreachable targets of the latest runs only, and the SLA breaches and compliance of the latest runs", () => {
    const scoped = (visualId: string) => filters.filter((f) => f.visuals.includes(visualId)).map((f) => ({ column: f.ref.column, match: f.match }));
    expect(scoped("unreachable-targets")).toEqual([
      { column: "latest_run", match: { equals: 1 } },
      { column: "status", match: { values: ["unreachable"] } },
    ]);
    for (const id of ["latest-compliance", "latest-sla-breaches", "latest-unreachable"])
      expect(scoped(id)).toEqual([{ column: "latest_run", match: { equals: 1 } }]);
    expect(scoped("environment-compliance")).toEqual([]);
  });

  it("lets readers pick environments and accounts of the per-account chart", () => {
    const sheet = (definition.sheets as Block[]).find((s) => s.sheet_id === "compliance-over-time")!;
    expect(sheet.filter_controls).toEqual([
      {
        dropdown: {
          filter_control_id: "account-compliance-environment-control",
          source_filter_id: "account-compliance-environment-filter",
          title: "Environment",
          type: "MULTI_SELECT",
        },
      },
      {
        dropdown: {
          filter_control_id: "account-compliance-account-control",
          source_filter_id: "account-compliance-account-filter",
          title: "Account",
          type: "MULTI_SELECT",
        },
      },
    ]);
  });
});

describe("the dashboard definition against QuickSight's API model", () => {
  // what terraform validate leaves unchecked inside `definition`: member names, required members, enum values, limits
  const excerpt = JSON.parse(readFileSync(EXCERPT_FILE, "utf8")) as QuickSightModel;
  const model = {
    metadata: { uid: "quicksight-2018-04-01 (excerpt)" },
    operations: Object.fromEntries(definitionRoots.map((root) => [root, { input: { shape: root } }])),
    shapes: excerpt.shapes,
  } as ApiModel;
  const problems = (root: string, value: unknown) => {
    let request: unknown;
    try {
      request = toApiShape(excerpt, root, value);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}: the definition reaches past test/fixtures/quicksight-api-excerpt.json; run npx tsx tools/quicksight-api.ts <botocore's quicksight service-2.json.gz>`,
      );
    }
    return problemsAgainst(model, root, request);
  };

  it.each(definitionRoots)("is a valid %s", (root) => {
    expect(problems(root, definition)).toEqual([]);
  });

  it("names a value QuickSight does not take, a member it does not have and a required member left out", () => {
    const broken = copy();
    broken.sheets[0].visuals[3].line_chart_visual.chart_configuration.field_wells.line_chart_aggregated_field_wells.category[0].date_dimension_field.date_granularity =
      "DAYS";
    broken.sheets[1].visuals[1].bar_chart_visual.chart_configuration.bars_arrangement = "STACK";
    broken.sheets[2].visuals[0].table_visual.visual_idd = "x";
    delete broken.filter_groups[0].cross_dataset;
    expect(problems("AnalysisDefinition", broken)).toEqual([
      'Sheets[0].Visuals[3].LineChartVisual.ChartConfiguration.FieldWells.LineChartAggregatedFieldWells.Category[0].DateDimensionField.DateGranularity: "DAYS" is not one of YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND',
      'Sheets[1].Visuals[1].BarChartVisual.ChartConfiguration.BarsArrangement: "STACK" is not one of CLUSTERED, STACKED, STACKED_PERCENT',
      "Sheets[2].Visuals[0].TableVisual.visual_idd: not a member of the request (members: VisualId, Title, Subtitle, ChartConfiguration, ConditionalFormatting, Actions, VisualContentAltText)",
      "FilterGroups[0].CrossDataset: required member is missing",
    ]);
  });
});

describe("definitionProblems", () => {
  it("names a column a visual reads that its data set does not have", () => {
    const broken = copy();
    broken.sheets[0].visuals[3].line_chart_visual.chart_configuration.field_wells.line_chart_aggregated_field_wells.colors[0].categorical_dimension_field.column.column_name =
      "env";
    expect(definitionProblems(broken, columns)).toEqual([
      "line_chart_visual environment-compliance reads run_summaries.env, which is neither a column nor a calculated field of it",
    ]);
  });

  it("names a visual that reads two data sets, and a filter on a data set its visuals do not read", () => {
    const broken = copy();
    broken.sheets[0].visuals[3].line_chart_visual.chart_configuration.field_wells.line_chart_aggregated_field_wells.colors[0].categorical_dimension_field.column.data_set_identifier =
      "target_results";
    broken.filter_groups[0].scope_configuration.selected_sheets.sheet_visual_scoping_configurations[0].visual_ids.push("not-covered");
    broken.filter_groups[1].filters[0].numeric_equality_filter.column.data_set_identifier = "missing_patches";
    expect(definitionProblems(broken, columns)).toEqual([
      "line_chart_visual environment-compliance reads 2 data sets (run_summaries, target_results); one each",
      "numeric_equality_filter unreachable-latest-filter reads missing_patches.latest_run, which is neither a column nor a calculated field of it",
      "numeric_equality_filter unreachable-latest-filter filters missing_patches, which visual unreachable-targets does not read",
    ]);
  });

  it("names a calculated field reading an unknown column, a duplicate id, a sort by a foreign field and a visual not laid out", () => {
    const broken = copy();
    broken.calculated_fields[0].expression = "sum({compliant_count})";
    broken.sheets[1].visuals[2].table_visual.chart_configuration.field_wells.table_aggregated_field_wells.values[0].categorical_measure_field.field_id =
      "top-missing-patch";
    broken.sheets[1].visuals[3].table_visual.chart_configuration.sort_configuration.row_sort[0].field_sort.field_id = "top-missing-age";
    broken.sheets[2].layouts.configuration.grid_layout.elements.pop();
    expect(definitionProblems(broken, columns)).toEqual([
      "calculated field environment_compliance_percent reads compliant_count, which is not a column of run_summaries",
      "field id top-missing-patch is used twice (also a field id)",
      "table_visual top-missing sorts by top-missing-instances, which is not one of its fields",
      "table_visual oldest-missing sorts by top-missing-age, which is not one of its fields",
      "sheet reachability lays visual unreachable-over-time out 0 times; once",
    ]);
  });

  it("names a control whose filter does not apply to its sheet", () => {
    const broken = copy();
    broken.sheets[0].filter_controls[0].dropdown.source_filter_id = "unreachable-status-filter";
    expect(definitionProblems(broken, columns)).toEqual([
      "dropdown control account-compliance-environment-control shows filter unreachable-status-filter, which does not apply to sheet compliance-over-time",
    ]);
  });
});

describe("the dashboard's permissions", () => {
  const authors = ["arn:aws:quicksight:us-east-1:100000000001:group/default/platform"];
  const viewers = ["arn:aws:quicksight:us-east-1:100000000001:group/default/security"];

  it("make authors owners of everything and viewers viewers of the dashboard only", () => {
    const permissions = quickSightPermissions({ authors, viewers });
    expect(permissions.dataSource).toEqual([{ principal: authors[0], actions: [...quickSightActions.dataSourceOwner] }]);
    expect(permissions.dataSet).toEqual([{ principal: authors[0], actions: [...quickSightActions.dataSetOwner] }]);
    expect(permissions.analysis).toEqual([{ principal: authors[0], actions: [...quickSightActions.analysisOwner] }]);
    expect(permissions.dashboard).toEqual([
      { principal: authors[0], actions: [...quickSightActions.dashboardOwner] },
      { principal: viewers[0], actions: ["quicksight:DescribeDashboard", "quicksight:ListDashboardVersions", "quicksight:QueryDashboard"] },
    ]);
  });

  it("name actions on their own resource type, IAM actions but for QuickSight's own Query<Analysis|Dashboard>", async () => {
    for (const [set, actions] of Object.entries(quickSightActions)) {
      const noun = set.replace(/(Owner|Viewer)$/, "").toLowerCase();
      for (const action of actions) {
        expect(action.toLowerCase(), `${set}: ${action}`).toMatch(noun === "dataset" ? /dataset|ingestion/ : new RegExp(noun));
        // opening an analysis or dashboard is a permission of QuickSight's own, not an IAM action
        if (/^quicksight:Query(Analysis|Dashboard)$/.test(action)) expect(await expandAction(action)).toEqual([]);
        else expect(await expandAction(action), `${set}: ${action}`).toEqual([action]);
      }
    }
  });
});
