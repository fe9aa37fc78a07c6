/** One node of the JSON Schema zod writes for the configuration (the parts the reference reads). */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: SchemaNode | boolean;
  readonly propertyNames?: SchemaNode;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
}

export interface FieldRow {
  /** As the descriptions are keyed: `org.logs.outputRetentionDays`, `environments.<name>.accounts[].id`. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue?: string;
  readonly description?: string;
}

const alternatives = (node: SchemaNode) => node.anyOf ?? node.oneOf;

/** Descriptions end in JSDoc tags; a default the schema cannot state (none, derived) is said in words. */
function readable(description: string): string {
  return description
    .replace(/@default\s*-?\s*/g, "Default: ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * What a map's keys are: `OS` for a map keyed by operating system, the allowed keys of another
 * closed set (`"Critical" | "Important"`), `name` for free keys.
 */
function mapKey(node: SchemaNode): string {
  const keys = node.propertyNames?.enum;
  if (!keys) return "name";
  return keys.includes("WINDOWS") ? "OS" : keys.map((k) => JSON.stringify(k)).join(" | ");
}

/** A short type: `string`, `number 1–24`, `"BLOCK" | "ALLOW_AS_DEPENDENCY"`, `list of object`, `map of string → object`. */
export function typeOf(node: SchemaNode): string {
  const options = alternatives(node);
  if (options) return [...new Set(options.map(typeOf))].join(" or ");
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.type === "array") return `list of ${node.items ? typeOf(node.items) : "any"}`;
  if (node.type === "object" && !node.properties && typeof node.additionalProperties === "object") {
    return `map of ${mapKey(node)} → ${typeOf(node.additionalProperties)}`;
  }
  const range = node.minimum !== undefined && node.maximum !== undefined ? ` ${node.minimum}–${node.maximum}` : "";
  return `${Array.isArray(node.type) ? node.type.join(" or ") : (node.type ?? "any")}${range}`;
}

/** Every field of the configuration, depth first, with what the schema says of it. */
export function fieldRows(root: SchemaNode, descriptions: ReadonlyMap<string, string>): FieldRow[] {
  const rows: FieldRow[] = [];
  const visit = (node: SchemaNode, path: string) => {
    const options = alternatives(node);
    const objects = options?.filter((o) => o.properties) ?? [];
    // a union of objects or an intersection would need rows per alternative: say so rather than drop fields
    if (objects.length > 1 || (node as { allOf?: unknown }).allOf)
      throw new Error(`${path || "the configuration"}: unions and intersections of objects are not rendered yet`);
    const object = objects[0] ?? node;
    if (object.properties) {
      for (const [name, child] of Object.entries(object.properties)) {
        const childPath = path === "" ? name : `${path}.${name}`;
        // a default the schema states needs no "@default" in the text; one it cannot state (none, derived) keeps it
        const raw = descriptions.get(childPath);
        const stated = child.default === undefined ? raw : raw?.replace(/\s*@default\b[^@]*/, " ").trim();
        const description = stated ? readable(stated) : undefined;
        rows.push({
          path: childPath,
          type: typeOf(child),
          required: (object.required ?? []).includes(name) && child.default === undefined,
          ...(child.default !== undefined ? { defaultValue: JSON.stringify(child.default) } : {}),
          ...(description ? { description } : {}),
        });
        visit(child, childPath);
      }
      return;
    }
    if (node.type === "array" && node.items) visit(node.items, `${path}[]`);
    else if (typeof node.additionalProperties === "object") visit(node.additionalProperties, `${path}.${node.propertyNames?.enum ? "<OS>" : "<name>"}`);
  };
  visit(root, "");
  return rows;
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The reference as Markdown: one table per top-level part, every field a row. */
export function renderReference(
  rows: readonly FieldRow[],
  sections: readonly { readonly title: string; readonly prefix: string; readonly intro: string }[],
): string {
  const out = [
    "# Configuration reference",
    "",
    "Generated from the zod schema in `environments/schema/` (types and defaults) and the comments on its",
    "fields (descriptions) by `npm run config-reference`; a test fails when this file and the schema",
    "disagree. Paths are as problems report them; `<env>` is an environment's name, `<OS>` an operating",
    "system, `<name>` a name you choose, `[]` any element of a list.",
  ];
  for (const section of sections) {
    out.push("", `## ${section.title}`, "", section.intro, "", "| field | type | default | meaning |", "|---|---|---|---|");
    for (const row of rows.filter((r) => r.path.startsWith(section.prefix))) {
      const shown = row.path.slice(section.prefix.length) || row.path;
      const defaultValue = row.defaultValue ?? (row.required ? "required" : "—");
      out.push(
        `| \`${cell(shown)}\` | ${cell(row.type)} | ${cell(defaultValue === "required" ? "required" : `\`${defaultValue}\``.replace("`—`", "—"))} | ${cell(row.description ?? "")} |`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}
