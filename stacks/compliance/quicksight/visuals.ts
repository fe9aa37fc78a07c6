import {
  columnIdentifier,
  columnSort,
  dimensionField,
  fieldSort,
  measureField,
  titles,
  type Block,
  type ColumnRef,
  type Dimension,
  type Measure,
} from "./fields.js";

/**
 * The visuals the dashboard uses, each a `{ <type>_visual: … }` entry of a sheet's `visuals`. Every
 * visual reads one data set: the fields it is given say which.
 */
export interface Visual {
  readonly id: string;
  readonly block: Block;
  /** How much of the sheet's 36-column grid it takes. */
  readonly span: { readonly columns: number; readonly rows: number };
}

interface Titled {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
}

/** A visual of one type (`line_chart_visual`, …): its id, titles and chart configuration, taking `span` of the grid. */
function visual(type: string, v: Titled, span: Visual["span"], chartConfiguration: Block): Visual {
  return { id: v.id, span, block: { [type]: { visual_id: v.id, ...titles(v.title, v.subtitle), chart_configuration: chartConfiguration } } };
}

interface RowSort {
  readonly fieldId: string;
  readonly direction: "ASC" | "DESC";
}

/** A full-width table: its field wells and the field its rows are sorted by. */
function table(v: Titled, fieldWells: Block, sort: RowSort): Visual {
  return visual(
    "table_visual",
    v,
    { columns: 36, rows: 12 },
    { field_wells: fieldWells, sort_configuration: { row_sort: [fieldSort(sort.fieldId, sort.direction)] } },
  );
}

/** Lines over time: one line per value of `series` (an environment, an account), at most `maxSeries` of them. */
export function lineChart(v: Titled & { readonly x: Dimension; readonly series?: Dimension; readonly value: Measure; readonly maxSeries?: number }): Visual {
  return visual(
    "line_chart_visual",
    v,
    { columns: 18, rows: 10 },
    {
      type: "LINE",
      field_wells: {
        line_chart_aggregated_field_wells: {
          category: [dimensionField(v.x)],
          values: [measureField(v.value)],
          ...(v.series ? { colors: [dimensionField(v.series)] } : {}),
        },
      },
      sort_configuration: {
        // time reads left to right
        category_sort: [fieldSort(v.x.id, "ASC")],
        // the series past the limit are left out, not pooled into an "Other" line that would mix accounts' percentages
        ...(v.series && v.maxSeries ? { color_items_limit_configuration: { items_limit: v.maxSeries, other_categories: "EXCLUDE" } } : {}),
      },
      legend: { visibility: "VISIBLE", position: "RIGHT" },
    },
  );
}

/** Stacked bars: one bar per `category`, split by `stack`, sorted by `sortBy` (a column of the data set). */
export function stackedBarChart(
  v: Titled & { readonly category: Dimension; readonly stack: Dimension; readonly value: Measure; readonly sortBy: ColumnRef },
): Visual {
  return visual(
    "bar_chart_visual",
    v,
    { columns: 18, rows: 10 },
    {
      orientation: "VERTICAL",
      bars_arrangement: "STACKED",
      field_wells: {
        bar_chart_aggregated_field_wells: {
          category: [dimensionField(v.category)],
          colors: [dimensionField(v.stack)],
          values: [measureField(v.value)],
        },
      },
      sort_configuration: { category_sort: [columnSort(v.sortBy, "ASC", "MIN")] },
      legend: { visibility: "VISIBLE", position: "RIGHT" },
    },
  );
}

/** A table grouped by `groupBy` with aggregated `values`, sorted by one of its fields. */
export function aggregatedTable(v: Titled & { readonly groupBy: readonly Dimension[]; readonly values: readonly Measure[]; readonly sort: RowSort }): Visual {
  return table(v, { table_aggregated_field_wells: { group_by: v.groupBy.map(dimensionField), values: v.values.map(measureField) } }, v.sort);
}

/** A table of rows as they are (no aggregation), sorted by one of its columns. */
export function rowTable(v: Titled & { readonly columns: readonly { readonly id: string; readonly ref: ColumnRef }[]; readonly sort: RowSort }): Visual {
  return table(v, { table_unaggregated_field_wells: { values: v.columns.map((c) => ({ field_id: c.id, column: columnIdentifier(c.ref) })) } }, v.sort);
}

/** One number. */
export function kpi(v: Titled & { readonly value: Measure }): Visual {
  return visual("kpi_visual", v, { columns: 12, rows: 5 }, { field_wells: { values: [measureField(v.value)] } });
}

/** A sheet's grid layout: the visuals in order, each its span (QuickSight flows them left to right). */
export function gridLayout(visuals: readonly Visual[]): Block {
  return {
    configuration: {
      grid_layout: {
        elements: visuals.map((v) => ({ element_id: v.id, element_type: "VISUAL", column_span: v.span.columns, row_span: v.span.rows })),
      },
    },
  };
}
