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
