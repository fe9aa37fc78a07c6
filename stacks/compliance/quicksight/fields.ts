/**
 * Building blocks of a QuickSight analysis/dashboard `definition` in the shape hashicorp/aws takes
 * it (its schema's snake_case block names; a block that may appear once is one object, repeated
 * blocks are arrays). The provider types `definition` as any: `terraform validate` checks the
 * shape against the provider schema, check.ts the references between ids, columns and data sets.
 */
export type Block = { readonly [key: string]: unknown };

/** A column of a data set the definition declares (`data_set_identifiers_declarations`). */
export interface ColumnRef {
  readonly dataSet: string;
  readonly column: string;
}

export const columnIdentifier = (ref: ColumnRef): Block => ({ data_set_identifier: ref.dataSet, column_name: ref.column });

export type DateGranularity = "DAY" | "WEEK" | "MONTH";
export type NumericalAggregation = "SUM" | "MIN" | "MAX" | "AVERAGE" | "COUNT" | "DISTINCT_COUNT";
export type CategoricalAggregation = "COUNT" | "DISTINCT_COUNT";

/** How a number shows: decimal places and a suffix (`%`). */
export interface NumberFormat {
  readonly decimals: number;
  readonly suffix?: string;
}

const numberFormat = (format: NumberFormat): Block => ({
  number_display_format_configuration: {
    decimal_places_configuration: { decimal_places: format.decimals },
    ...(format.suffix === undefined ? {} : { suffix: format.suffix }),
  },
});

/** A dimension (what a visual groups by). */
export type Dimension =
  | { readonly kind: "category"; readonly id: string; readonly ref: ColumnRef }
  | { readonly kind: "date"; readonly id: string; readonly ref: ColumnRef; readonly granularity: DateGranularity };

/** A measure (what a visual aggregates). */
export type Measure =
  | {
      readonly kind: "number";
      readonly id: string;
      readonly ref: ColumnRef;
      /** Left out for a calculated field whose expression aggregates already (QuickSight refuses an aggregation of an aggregation). */
      readonly aggregation?: NumericalAggregation;
      readonly format?: NumberFormat;
    }
  | { readonly kind: "count"; readonly id: string; readonly ref: ColumnRef; readonly aggregation: CategoricalAggregation };

export const category = (id: string, ref: ColumnRef): Dimension => ({ kind: "category", id, ref });
export const date = (id: string, ref: ColumnRef, granularity: DateGranularity = "DAY"): Dimension => ({ kind: "date", id, ref, granularity });
export const sum = (id: string, ref: ColumnRef, format?: NumberFormat): Measure => ({ kind: "number", id, ref, aggregation: "SUM", format });
export const maximum = (id: string, ref: ColumnRef): Measure => ({ kind: "number", id, ref, aggregation: "MAX" });
/** An already aggregated calculated field (its expression aggregates): shown as is. */
export const calculated = (id: string, ref: ColumnRef, format?: NumberFormat): Measure => ({ kind: "number", id, ref, format });
export const count = (id: string, ref: ColumnRef): Measure => ({ kind: "count", id, ref, aggregation: "COUNT" });
export const distinctCount = (id: string, ref: ColumnRef): Measure => ({ kind: "count", id, ref, aggregation: "DISTINCT_COUNT" });

/** `{ categorical_dimension_field }` or `{ date_dimension_field }`, as field wells list them. */
export function dimensionField(dimension: Dimension): Block {
  const common = { field_id: dimension.id, column: columnIdentifier(dimension.ref) };
  return dimension.kind === "date" ? { date_dimension_field: { ...common, date_granularity: dimension.granularity } } : { categorical_dimension_field: common };
}

/** `{ numerical_measure_field }` or `{ categorical_measure_field }`, as field wells list them. */
export function measureField(measure: Measure): Block {
  const common = { field_id: measure.id, column: columnIdentifier(measure.ref) };
  if (measure.kind === "count") return { categorical_measure_field: { ...common, aggregation_function: measure.aggregation } };
  return {
    numerical_measure_field: {
      ...common,
      ...(measure.aggregation ? { aggregation_function: { simple_numerical_aggregation: measure.aggregation } } : {}),
      ...(measure.format ? { format_configuration: { numeric_format_configuration: numberFormat(measure.format) } } : {}),
    },
  };
}

/** A visual's title and, when given, the subtitle that says what it counts. */
export const titles = (title: string, subtitle?: string): Block => ({
  title: { visibility: "VISIBLE", format_text: { plain_text: title } },
  ...(subtitle === undefined ? {} : { subtitle: { visibility: "VISIBLE", format_text: { plain_text: subtitle } } }),
});

/** Sort by one of the visual's own fields. */
export const fieldSort = (fieldId: string, direction: "ASC" | "DESC"): Block => ({ field_sort: { field_id: fieldId, direction } });

/** Sort by a column that is not in the visual, aggregated (e.g. age buckets by their rank). */
export const columnSort = (ref: ColumnRef, direction: "ASC" | "DESC", aggregation: NumericalAggregation): Block => ({
  column_sort: {
    sort_by: columnIdentifier(ref),
    direction,
    aggregation_function: { numerical_aggregation_function: { simple_numerical_aggregation: aggregation } },
  },
});
