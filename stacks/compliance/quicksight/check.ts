import type { Block } from "./fields.js";

/**
 * What QuickSight would refuse, or show empty, in a definition, checked before Terraform sends it:
 * the provider validates only the shape. Returns one line per problem, naming the id or column.
 *
 * - every column reference names a declared data set and one of its columns or calculated fields;
 * - calculated fields read columns of their own data set and do not shadow one;
 * - sheet, visual, field, filter, filter group and control ids are unique;
 * - each visual reads one data set, sorts by its own fields, and is laid out once on its sheet;
 * - filters apply to visuals of their sheet that read the filter's data set; controls show filters of their sheet.
 */
export function definitionProblems(definition: Block, columns: Readonly<Record<string, readonly string[]>>): string[] {
  const problems: string[] = [];
  const declared = list(definition.data_set_identifiers_declarations).map((d) => String(d.identifier));
  for (const identifier of declared) if (!(identifier in columns)) problems.push(`data set ${identifier} is declared but its columns are unknown`);

  // calculated fields: per data set, their names; their expressions read real columns
  const calculated = new Map<string, Set<string>>();
  for (const field of list(definition.calculated_fields)) {
    const dataSet = String(field.data_set_identifier);
    const name = String(field.name);
    if (!declared.includes(dataSet)) problems.push(`calculated field ${name} is on undeclared data set ${dataSet}`);
    if (columns[dataSet]?.includes(name)) problems.push(`calculated field ${name} shadows a column of ${dataSet}`);
    calculated.set(dataSet, (calculated.get(dataSet) ?? new Set()).add(name));
    for (const [, used] of String(field.expression).matchAll(/\{([^}]+)\}/g)) {
      if (!columns[dataSet]?.includes(used!)) problems.push(`calculated field ${name} reads ${used}, which is not a column of ${dataSet}`);
    }
  }
  const known = (dataSet: string, column: string) => (columns[dataSet]?.includes(column) ?? false) || (calculated.get(dataSet)?.has(column) ?? false);
  const checkRef = (where: string, ref: Block) => {
    const dataSet = String(ref.data_set_identifier);
    const column = String(ref.column_name);
    if (!declared.includes(dataSet)) problems.push(`${where} reads ${dataSet}.${column}: ${dataSet} is not a declared data set`);
    else if (!known(dataSet, column)) problems.push(`${where} reads ${dataSet}.${column}, which is neither a column nor a calculated field of it`);
  };

  const ids = new Map<string, string>();
  const unique = (kind: string, id: unknown) => {
    const seen = ids.get(String(id));
    if (seen !== undefined) problems.push(`${kind} id ${String(id)} is used twice (also a ${seen} id)`);
    ids.set(String(id), kind);
  };

  const visualsBySheet = new Map<string, Map<string, Set<string>>>();
  for (const sheet of list(definition.sheets)) {
    const sheetId = String(sheet.sheet_id);
    unique("sheet", sheetId);
    const visuals = new Map<string, Set<string>>();
    visualsBySheet.set(sheetId, visuals);
    for (const entry of list(sheet.visuals)) {
      const [type, visual] = Object.entries(entry)[0] as [string, Block];
      const visualId = String(visual.visual_id);
      unique("visual", visualId);
      const fieldIds = new Set<string>();
      for (const node of walk(visual)) {
        if (typeof node.field_id === "string" && node.column !== undefined) {
          unique("field", node.field_id);
          fieldIds.add(node.field_id);
        }
      }
      const dataSets = new Set<string>();
      for (const node of walk(visual)) {
        if (node.data_set_identifier !== undefined && node.column_name !== undefined) {
          checkRef(`${type} ${visualId}`, node);
          dataSets.add(String(node.data_set_identifier));
        }
        const sort = node.field_sort as Block | undefined;
        if (sort && !fieldIds.has(String(sort.field_id)))
          problems.push(`${type} ${visualId} sorts by ${String(sort.field_id)}, which is not one of its fields`);
      }
      if (dataSets.size !== 1)
        problems.push(
          `${type} ${visualId} reads ${dataSets.size === 0 ? "no data set" : `${dataSets.size} data sets (${[...dataSets].join(", ")})`}; one each`,
        );
      visuals.set(visualId, dataSets);
    }
    const grid = one(one(one(sheet.layouts)?.configuration)?.grid_layout);
    const laidOut = list(grid?.elements).map((e) => String(e.element_id));
    for (const visualId of visuals.keys()) {
      const times = laidOut.filter((id) => id === visualId).length;
      if (times !== 1) problems.push(`sheet ${sheetId} lays visual ${visualId} out ${times} times; once`);
    }
    for (const id of laidOut) if (!visuals.has(id)) problems.push(`sheet ${sheetId} lays out ${id}, which is not one of its visuals`);
  }

  const filterSheets = new Map<string, Set<string>>();
  for (const group of list(definition.filter_groups)) {
    const groupId = String(group.filter_group_id);
    unique("filter group", groupId);
    const groupFilters = list(group.filters).map((f) => Object.entries(f)[0] as [string, Block]);
    const scopes = list(one(one(group.scope_configuration)?.selected_sheets)?.sheet_visual_scoping_configurations);
    for (const [type, filter] of groupFilters) {
      const filterId = String(filter.filter_id);
      unique("filter", filterId);
      const column = one(filter.column);
      if (!column) {
        problems.push(`${type} ${filterId} has no column`);
        continue;
      }
      checkRef(`${type} ${filterId}`, column);
      for (const scope of scopes) {
        const sheetId = String(scope.sheet_id);
        filterSheets.set(filterId, (filterSheets.get(filterId) ?? new Set()).add(sheetId));
        const visuals = visualsBySheet.get(sheetId);
        if (!visuals) {
          problems.push(`${type} ${filterId} applies to sheet ${sheetId}, which does not exist`);
          continue;
        }
        for (const visualId of list<string>(scope.visual_ids)) {
          const reads = visuals.get(visualId);
          if (!reads) problems.push(`${type} ${filterId} applies to ${visualId}, which is not a visual of sheet ${sheetId}`);
          else if (!reads.has(String(column.data_set_identifier)))
            problems.push(`${type} ${filterId} filters ${String(column.data_set_identifier)}, which visual ${visualId} does not read`);
        }
      }
    }
  }

  for (const sheet of list(definition.sheets)) {
    for (const control of list(sheet.filter_controls)) {
      const [type, body] = Object.entries(control)[0] as [string, Block];
      unique("control", body.filter_control_id);
      const source = String(body.source_filter_id);
      if (!filterSheets.get(source)?.has(String(sheet.sheet_id)))
        problems.push(`${type} control ${String(body.filter_control_id)} shows filter ${source}, which does not apply to sheet ${String(sheet.sheet_id)}`);
    }
  }
  return problems;
}

/** A block that may appear once or as a list: its entries. */
function list<T = Block>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** A block that appears at most once. */
function one(value: unknown): Block | undefined {
  return list(value)[0];
}

/** Every object inside a block, the block included. */
function* walk(value: unknown): Generator<Block> {
  if (Array.isArray(value)) for (const item of value) yield* walk(item);
  else if (value !== null && typeof value === "object") {
    yield value as Block;
    for (const child of Object.values(value)) yield* walk(child);
  }
}
