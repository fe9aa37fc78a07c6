/**
 * The synthesized `cdk.tf.json` is the contract tests check (not cdktf's object model), so the
 * generator can be swapped without rewriting tests. Keys are Terraform's (snake_case).
 */
export type Block = Record<string, unknown>;

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Block>>;
  readonly data?: Record<string, Record<string, Block>>;
  readonly provider?: Record<string, Block[]>;
  readonly terraform?: Block;
  readonly output?: Record<string, Block>;
}

/** Every resource of one type as `[logicalName, body]`. */
export function resourcesOf(json: TerraformJson, type: string): [string, Block][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The bodies of every resource of one type. */
export function bodiesOf(json: TerraformJson, type: string): Block[] {
  return resourcesOf(json, type).map(([, body]) => body);
}

export function dataOf(json: TerraformJson, type: string): [string, Block][] {
  return Object.entries(json.data?.[type] ?? {});
}

/** All resource types present in the stack. */
export function resourceTypes(json: TerraformJson): string[] {
  return Object.keys(json.resource ?? {}).sort();
}

/** `${aws_s3_bucket.Foo.id}` → the referenced `{ type, name, attribute }`, when the value is exactly one reference. */
export function parseReference(value: unknown): { type: string; name: string; attribute: string } | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(value);
  if (!match) return undefined;
  return { type: (match[1] ?? "") + match[2]!, name: match[3]!, attribute: match[4]! };
}

/**
 * The addresses (`type.name`, `data.type.name`, `output.name`, `provider.name`, `terraform`) whose
 * blocks differ between two renderings of a stack, sorted: what a plan from one to the other could touch.
 */
export function changedAddresses(before: TerraformJson, after: TerraformJson): string[] {
  const blocks = (json: TerraformJson): Map<string, string> => {
    const found = new Map<string, string>();
    for (const [kind, byType] of [
      ["", json.resource],
      ["data.", json.data],
    ] as const)
      for (const [type, byName] of Object.entries(byType ?? {}))
        for (const [name, body] of Object.entries(byName)) found.set(`${kind}${type}.${name}`, JSON.stringify(body));
    for (const [name, body] of Object.entries(json.output ?? {})) found.set(`output.${name}`, JSON.stringify(body));
    for (const [name, body] of Object.entries(json.provider ?? {})) found.set(`provider.${name}`, JSON.stringify(body));
    found.set("terraform", JSON.stringify(json.terraform ?? {}));
    return found;
  };
  const a = blocks(before);
  const b = blocks(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((address) => a.get(address) !== b.get(address)).sort();
}
