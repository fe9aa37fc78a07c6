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

/** Lines over time: one line per value of `series` (an environment, an account), at most `maxSeries` of them. */
export function lineChart(v: Titled & { readonly x: Dimension; readonly series?: Dimension; readonly value: Measure; readonly maxSeries?: number }): Visual {
  return {
    id: v.id,
    span: { columns: 18, rows: 10 },
    block: {
      line_chart_visual: {
        visual_id: v.id,
        ...titles(v.title, v.subtitle),
        chart_configuration: {
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
      },
    },
  };
}

/** Stacked bars: one bar per `category`, split by `stack`, sorted by `sortBy` (a column of the data set). */
export function stackedBarChart(
  v: Titled & { readonly category: Dimension; readonly stack: Dimension; readonly value: Measure; readonly sortBy: ColumnRef },
): Visual {
  return {
    id: v.id,
    span: { columns: 18, rows: 10 },
    block: {
      bar_chart_visual: {
        visual_id: v.id,
        ...titles(v.title, v.subtitle),
        chart_configuration: {
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
      },
    },
  };
}

/** A table grouped by `groupBy` with aggregated `values`, sorted by one of its fields. */
export function aggregatedTable(
  v: Titled & {
    readonly groupBy: readonly Dimension[];
    readonly values: readonly Measure[];
    readonly sort: { readonly fieldId: string; readonly direction: "ASC" | "DESC" };
  },
): Visual {
  return {
    id: v.id,
    span: { columns: 36, rows: 12 },
    block: {
      table_visual: {
        visual_id: v.id,
        ...titles(v.title, v.subtitle),
        chart_configuration: {
          field_wells: { table_aggregated_field_wells: { group_by: v.groupBy.map(dimensionField), values: v.values.map(measureField) } },
          sort_configuration: { row_sort: [fieldSort(v.sort.fieldId, v.sort.direction)] },
        },
      },
    },
  };
}

/** A table of rows as they are (no aggregation), sorted by one of its columns. */
export function rowTable(
  v: Titled & {
    readonly columns: readonly { readonly id: string; readonly ref: ColumnRef }[];
    readonly sort: { readonly fieldId: string; readonly direction: "ASC" | "DESC" };
  },
): Visual {
  return {
    id: v.id,
    span: { columns: 36, rows: 12 },
    block: {
      table_visual: {
        visual_id: v.id,
        ...titles(v.title, v.subtitle),
        chart_configuration: {
          field_wells: { table_unaggregated_field_wells: { values: v.columns.map((c) => ({ field_id: c.id, column: columnIdentifier(c.ref) })) } },
          sort_configuration: { row_sort: [fieldSort(v.sort.fieldId, v.sort.direction)] },
        },
      },
    },
  };
}

/** One number. */
export function kpi(v: Titled & { readonly value: Measure }): Visual {
  return {
    id: v.id,
    span: { columns: 12, rows: 5 },
    block: {
      kpi_visual: {
        visual_id: v.id,
        ...titles(v.title, v.subtitle),
        chart_configuration: { field_wells: { values: [measureField(v.value)] } },
      },
    },
  };
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
