/**
 * QuickSight's API model (botocore's `service-2.json` format) against the dashboard's Terraform
 * blocks: hashicorp/aws takes the analysis and dashboard `definition` as nested blocks and
 * `terraform validate` does not check the values inside it (an unknown enum value passes), so the
 * blocks are turned into the API's request shapes and checked against AWS's model.
 */
export interface ModelShape {
  readonly type?: string;
  readonly shape?: string;
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly required?: readonly string[];
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
}

export interface QuickSightModel {
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** Where the provider's block names differ from the API's member names beyond snake_case: everywhere, and in one shape. */
const renamedEverywhere: Readonly<Record<string, string>> = { datasetidentifiersdeclarations: "datasetidentifierdeclarations" };
const renamedIn: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  NumberFormatConfiguration: { numericformatconfiguration: "formatconfiguration" },
};

const normal = (name: string) => {
  const plain = name.replace(/_/g, "").toLowerCase();
  return renamedEverywhere[plain] ?? plain;
};

/**
 * A Terraform block (snake_case; a block given once may be one object or a list of one) as the
 * API's shape `shapeName` names it. Keys with no member stay as they are, for the model check to
 * name; `visit` sees every shape the value reaches.
 */
export function toApiShape(model: QuickSightModel, shapeName: string, value: unknown, visit: (shape: string) => void = () => {}): unknown {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`the QuickSight model has no shape ${shapeName}`);
  visit(shapeName);
  switch (shape.type) {
    case "structure": {
      const block = Array.isArray(value) && value.length === 1 ? value[0] : value;
      if (block === null || typeof block !== "object" || Array.isArray(block)) return block;
      const members = new Map(Object.keys(shape.members ?? {}).map((name) => [normal(name), name]));
      return Object.fromEntries(
        Object.entries(block).map(([key, item]) => {
          const member = members.get(renamedIn[shapeName]?.[normal(key)] ?? normal(key));
          return member === undefined ? [key, item] : [member, toApiShape(model, shape.members![member]!.shape, item, visit)];
        }),
      );
    }
    case "list":
      return (Array.isArray(value) ? value : [value]).map((item) => toApiShape(model, shape.member!.shape, item, visit));
    case "map":
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toApiShape(model, shape.value!.shape, v, visit)]));
    default:
      return value;
  }
}

/**
 * The part of the model a value reaches: each shape it reaches whole (members by name, required,
 * enum, pattern, limits; no documentation), and the shapes of required members it leaves out, so
 * the check can name them. What a later change of the definition reaches beyond it is missing from
 * the excerpt and fails the check until the excerpt is made again.
 */
export function excerpt(model: QuickSightModel, reached: Iterable<string>): QuickSightModel {
  const names = new Set(reached);
  for (const name of [...names]) for (const required of model.shapes[name]?.required ?? []) names.add(model.shapes[name]!.members![required]!.shape);
  const keep = ({ type, members, required, member, key, value, enum: values, pattern, min, max }: ModelShape): ModelShape => ({
    type,
    ...(members && { members: Object.fromEntries(Object.entries(members).map(([n, m]) => [n, { shape: m.shape }])) }),
    ...(required && { required }),
    ...(member && { member: { shape: member.shape } }),
    ...(key && { key: { shape: key.shape } }),
    ...(value && { value: { shape: value.shape } }),
    ...(values && { enum: values }),
    ...(pattern !== undefined && { pattern }),
    ...(min !== undefined && { min }),
    ...(max !== undefined && { max }),
  });
  return { shapes: Object.fromEntries([...names].sort().map((name) => [name, keep(model.shapes[name]!)])) };
}
