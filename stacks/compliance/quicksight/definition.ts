import type { DataSetKey } from "./data-sets.js";
import { calculated, category, count, date, distinctCount, maximum, sum, type Block, type ColumnRef, type Measure } from "./fields.js";
import { aggregatedTable, gridLayout, kpi, lineChart, rowTable, stackedBarChart, type Visual } from "./visuals.js";

/** A column of one of the dashboard's data sets (its identifier in the definition is its key). */
const col = (dataSet: DataSetKey, column: string): ColumnRef => ({ dataSet, column });

/** Compliant of the managed instances, aggregated over whatever a visual groups (the report's percentage, unrounded). */
const compliancePercent = "ifelse(sum({managed}) > 0, 100 * sum({compliant}) / sum({managed}), NULL)";

/** Calculated fields: name, data set, expression over that data set's columns (`{column}`). */
export const calculatedFields = [
  { name: "environment_compliance_percent", dataSet: "run_summaries", expression: compliancePercent },
  { name: "account_compliance_percent", dataSet: "target_results", expression: compliancePercent },
] as const satisfies readonly { name: string; dataSet: DataSetKey; expression: string }[];

const percent = { decimals: 1, suffix: "%" };

/** A row table's columns, all of one data set, in order: field id `<prefix>-<name>` for each `name: column`. */
const columnsOf = (prefix: string, dataSet: DataSetKey, columns: Readonly<Record<string, string>>) =>
  Object.entries(columns).map(([name, column]) => ({ id: `${prefix}-${name}`, ref: col(dataSet, column) }));

export interface Sheet {
  readonly id: string;
  readonly name: string;
  readonly visuals: readonly Visual[];
  /** Dropdown controls on the sheet: each shows one filter (`filterId`) for the sheet's readers to set. */
  readonly controls?: readonly { readonly id: string; readonly filterId: string; readonly title: string }[];
}

/** A line per environment over the days of runs (field ids `<id>-day` and `<id>-environment`). */
const environmentTrend = (v: { id: string; title: string; subtitle: string; value: Measure }): Visual =>
  lineChart({
    ...v,
    x: date(`${v.id}-day`, col("run_summaries", "started_at")),
    series: category(`${v.id}-environment`, col("run_summaries", "environment")),
  });

// ---- sheet 1: compliance over time ----
const overview: Sheet = {
  id: "compliance-over-time",
  name: "Compliance over time",
  visuals: [
    kpi({
      id: "latest-compliance",
      title: "Compliant instances, latest runs",
      subtitle: "Compliant of the managed instances in each environment's latest run",
      value: calculated("latest-compliance-value", col("run_summaries", "environment_compliance_percent"), percent),
    }),
    kpi({
      id: "latest-sla-breaches",
      title: "Instances past their patch SLA, latest runs",
      subtitle: "Instances with a missing patch older than its severity's SLA (0 without an SLA)",
      value: sum("latest-sla-breaches-value", col("run_summaries", "sla_breaches")),
    }),
    kpi({
      id: "latest-unreachable",
      title: "Unreachable account-regions, latest runs",
      value: sum("latest-unreachable-value", col("run_summaries", "unreachable")),
    }),
    environmentTrend({
      id: "environment-compliance",
      title: "Compliance per environment",
      subtitle: "Compliant of the managed instances, per day of runs",
      value: calculated("environment-compliance-percent", col("run_summaries", "environment_compliance_percent"), percent),
    }),
    lineChart({
      id: "account-compliance",
      title: "Compliance per account",
      subtitle: "Compliant of the managed instances, at most 10 accounts at a time (no line for the others): pick environments and accounts above",
      x: date("account-compliance-day", col("target_results", "started_at")),
      series: category("account-compliance-account", col("target_results", "account_name")),
      value: calculated("account-compliance-percent", col("target_results", "account_compliance_percent"), percent),
      maxSeries: 10,
    }),
    environmentTrend({
      id: "not-covered",
      title: "Instances not covered by patching",
      subtitle: "Failing a coverage rule (patch group tag, patch-policy tag, managed by SSM), per environment: the most of a day's runs",
      // a count of a run's instances: two runs on one day would double a sum, so a day shows its highest
      value: maximum("not-covered-instances", col("run_summaries", "not_covered")),
    }),
  ],
  controls: [
    { id: "account-compliance-environment-control", filterId: "account-compliance-environment-filter", title: "Environment" },
    { id: "account-compliance-account-control", filterId: "account-compliance-account-filter", title: "Account" },
  ],
};

// ---- sheet 2: missing patches of the latest runs ----
const missing: Sheet = {
  id: "missing-patches",
  name: "Missing patches",
  visuals: [
    kpi({
      id: "missing-past-sla",
      title: "Missing patches past their SLA",
      subtitle: "Instance and patch pairs older than the severity's SLA, latest runs",
      value: sum("missing-past-sla-value", col("missing_patches", "past_sla")),
    }),
    stackedBarChart({
      id: "missing-by-age",
      title: "Missing patches by age and severity",
      subtitle: "Instance and patch pairs of the latest runs, by days since the patch's release",
      category: category("missing-by-age-bucket", col("missing_patches", "age_bucket")),
      stack: category("missing-by-age-severity", col("missing_patches", "severity")),
      value: count("missing-by-age-count", col("missing_patches", "patch_id")),
      sortBy: col("missing_patches", "age_rank"),
    }),
    aggregatedTable({
      id: "top-missing",
      title: "Top missing patches",
      subtitle: "Patches missing on the most instances, latest runs",
      groupBy: [
        category("top-missing-patch", col("missing_patches", "patch_id")),
        category("top-missing-title", col("missing_patches", "title")),
        category("top-missing-severity", col("missing_patches", "severity")),
        category("top-missing-classification", col("missing_patches", "classification")),
      ],
      values: [
        distinctCount("top-missing-instances", col("missing_patches", "instance_id")),
        distinctCount("top-missing-accounts", col("missing_patches", "account_id")),
        maximum("top-missing-age", col("missing_patches", "age_days")),
      ],
      sort: { fieldId: "top-missing-instances", direction: "DESC" },
    }),
    rowTable({
      id: "oldest-missing",
      title: "Oldest missing patches",
      subtitle: "Every missing or failed patch of the latest runs, oldest first",
      columns: columnsOf("oldest-missing", "missing_patches", {
        age: "age_days",
        sla: "sla_status",
        patch: "patch_id",
        title: "title",
        severity: "severity",
        state: "state",
        released: "release_date",
        environment: "environment",
        account: "account_name",
        region: "region",
        instance: "instance_id",
        name: "instance_name",
      }),
      sort: { fieldId: "oldest-missing-age", direction: "DESC" },
    }),
  ],
};

// ---- sheet 3: reachability ----
const reachability: Sheet = {
  id: "reachability",
  name: "Unreachable targets",
  visuals: [
    rowTable({
      id: "unreachable-targets",
      title: "Unreachable account-regions, latest runs",
      subtitle: "Targets the run could not read (role missing, access denied, region not enabled, throttled)",
      columns: columnsOf("unreachable", "target_results", {
        environment: "environment",
        account: "account_name",
        "account-id": "account_id",
        region: "region",
        reason: "reason",
        run: "started_at",
      }),
      sort: { fieldId: "unreachable-environment", direction: "ASC" },
    }),
    environmentTrend({
      id: "unreachable-over-time",
      title: "Unreachable account-regions per environment",
      subtitle: "The most of a day's runs",
      // as above: a run's count, not to be added up over a day's runs
      value: maximum("unreachable-over-time-count", col("run_summaries", "unreachable")),
    }),
  ],
};

export const sheets: readonly Sheet[] = [overview, missing, reachability];

/** A filter: one column of one data set, applied to some visuals of one sheet. */
export interface FilterSpec {
  readonly id: string;
  readonly ref: ColumnRef;
  readonly sheet: string;
  readonly visuals: readonly string[];
  /** `equals`: rows whose column is this number; `values`: rows whose column is one of these (all when empty: a control picks). */
  readonly match: { readonly equals: number } | { readonly values: readonly string[] };
}

export const filters: readonly FilterSpec[] = [
  {
    id: "latest-run-filter",
    ref: col("run_summaries", "latest_run"),
    sheet: overview.id,
    visuals: ["latest-compliance", "latest-sla-breaches", "latest-unreachable"],
    match: { equals: 1 },
  },
  { id: "unreachable-latest-filter", ref: col("target_results", "latest_run"), sheet: reachability.id, visuals: ["unreachable-targets"], match: { equals: 1 } },
  {
    id: "unreachable-status-filter",
    ref: col("target_results", "status"),
    sheet: reachability.id,
    visuals: ["unreachable-targets"],
    match: { values: ["unreachable"] },
  },
  {
    id: "account-compliance-environment-filter",
    ref: col("target_results", "environment"),
    sheet: overview.id,
    visuals: ["account-compliance"],
    match: { values: [] },
  },
  {
    id: "account-compliance-account-filter",
    ref: col("target_results", "account_name"),
    sheet: overview.id,
    visuals: ["account-compliance"],
    match: { values: [] },
  },
];

function filterBlock(filter: FilterSpec): Block {
  const column = { data_set_identifier: filter.ref.dataSet, column_name: filter.ref.column };
  if ("equals" in filter.match) {
    return {
      numeric_equality_filter: { filter_id: filter.id, column, value: filter.match.equals, match_operator: "EQUALS", null_option: "NON_NULLS_ONLY" },
    };
  }
  const values = filter.match.values;
  return {
    category_filter: {
      filter_id: filter.id,
      column,
      configuration: {
        filter_list_configuration:
          values.length > 0
            ? { match_operator: "CONTAINS", category_values: [...values] }
            : // no values: everything until a reader picks some in the filter's control
              { match_operator: "CONTAINS", select_all_options: "FILTER_ALL_VALUES" },
      },
    },
  };
}

/** The definition an analysis and its dashboard share: data sets by identifier, sheets, filters, calculated fields. */
export function dashboardDefinition(dataSetArns: Readonly<Record<DataSetKey, string>>): Block {
  return {
    data_set_identifiers_declarations: Object.entries(dataSetArns).map(([identifier, arn]) => ({ identifier, data_set_arn: arn })),
    calculated_fields: calculatedFields.map((f) => ({ data_set_identifier: f.dataSet, name: f.name, expression: f.expression })),
    sheets: sheets.map((sheet) => ({
      sheet_id: sheet.id,
      name: sheet.name,
      title: sheet.name,
      visuals: sheet.visuals.map((v) => v.block),
      layouts: gridLayout(sheet.visuals),
      ...(sheet.controls
        ? {
            filter_controls: sheet.controls.map((c) => ({
              dropdown: { filter_control_id: c.id, source_filter_id: c.filterId, title: c.title, type: "MULTI_SELECT" },
            })),
          }
        : {}),
    })),
    filter_groups: filters.map((filter) => ({
      filter_group_id: `${filter.id}-group`,
      cross_dataset: "SINGLE_DATASET",
      status: "ENABLED",
      filters: [filterBlock(filter)],
      scope_configuration: {
        selected_sheets: { sheet_visual_scoping_configurations: [{ sheet_id: filter.sheet, scope: "SELECTED_VISUALS", visual_ids: [...filter.visuals] }] },
      },
    })),
  };
}
