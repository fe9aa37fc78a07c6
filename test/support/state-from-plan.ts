import { createHash, randomUUID } from "node:crypto";

/**
 * The Terraform state (format v4) that applying `plan` would leave, so that a later plan of a
 * changed configuration shows updates, replacements and destroys as it would after a real apply.
 * Offline there is no apply: values the provider would compute (`id`, `arn`, ...) become
 * placeholders of the attribute's schema type, stable per resource address. Values that depend on
 * another resource's computed value are only known once that one is in the state, so apply the
 * plans of the same configuration until nothing changes (see `convergeState` in plans.ts).
 */
export interface PlanJson {
  readonly terraform_version: string;
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly mode: "managed" | "data";
    readonly type: string;
    readonly name: string;
    readonly index?: string | number;
    readonly change: { readonly actions: readonly string[]; readonly after: unknown; readonly after_unknown?: unknown };
  }>;
  readonly configuration: { readonly root_module: { readonly resources?: ReadonlyArray<{ readonly address: string; readonly provider_config_key: string }> } };
}

type SchemaType = string | readonly [string, unknown];
interface SchemaBlock {
  readonly attributes?: Record<string, { readonly type?: SchemaType; readonly nested_type?: unknown }>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}
export interface ProviderSchemas {
  readonly provider_schemas: Record<string, { readonly resource_schemas: Record<string, { readonly version: number; readonly block: SchemaBlock }> }>;
}

const AWS = "registry.terraform.io/hashicorp/aws";

/** Ids in the formats the provider validates where other resources reference them. */
function placeholderId(resourceType: string, address: string): string {
  const hex = createHash("sha256").update(address).digest("hex");
  if (resourceType === "aws_ssm_patch_baseline") return `pb-${hex.slice(0, 17)}`;
  if (resourceType === "aws_ssm_maintenance_window") return `mw-${hex.slice(0, 17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

interface Where {
  readonly resourceType: string;
  readonly address: string;
}

/**
 * A computed value. Strings other than ids and ARNs are empty: the provider keeps a prior value of
 * a computed attribute that the configuration leaves unset, and an empty one passes its checks.
 */
function placeholder(type: SchemaType | undefined, attribute: string, where: Where): unknown {
  if (type === "string" || type === undefined) {
    if (attribute === "id") return placeholderId(where.resourceType, where.address);
    if (attribute === "arn" || attribute.endsWith("_arn")) return `arn:aws:placeholder:us-east-1:000000000000:${where.address}`;
    return "";
  }
  if (type === "number") return 0;
  if (type === "bool") return false;
  const [kind] = type;
  return kind === "map" || kind === "object" ? {} : [];
}

/** Fills every value the plan marks unknown with a placeholder of its schema type. */
function resolveUnknown(value: unknown, unknown: unknown, block: SchemaBlock | undefined, where: Where): unknown {
  if (unknown === true) return placeholder(undefined, "value", where);
  if (unknown === undefined || unknown === false || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const flags = Array.isArray(unknown) ? unknown : [];
    return value.map((item, i) => resolveUnknown(item, flags[i], block, where));
  }
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, flag] of Object.entries(unknown as Record<string, unknown>)) {
    const nested = block?.block_types?.[key];
    if (flag === true) out[key] = nested ? (nested.nesting_mode === "single" ? null : []) : placeholder(block?.attributes?.[key]?.type, key, where);
    else if (nested) out[key] = resolveUnknown(out[key], flag, nested.block, where);
    else if (key in out) out[key] = resolveUnknown(out[key], flag, undefined, where);
  }
  return out;
}

export function stateFromPlan(plan: PlanJson, schemas: ProviderSchemas): object {
  const resourceSchemas = schemas.provider_schemas[AWS]?.resource_schemas ?? {};
  const providerKeys = new Map((plan.configuration.root_module.resources ?? []).map((r) => [r.address, r.provider_config_key]));
  const resources = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === "managed" && !(rc.change.actions.length === 1 && rc.change.actions[0] === "delete"))
    .map((rc) => {
      const schema = resourceSchemas[rc.type];
      if (!schema) throw new Error(`no provider schema for ${rc.type}`);
      const configAddress = rc.index === undefined ? rc.address : rc.address.slice(0, rc.address.lastIndexOf("["));
      const providerKey = providerKeys.get(configAddress) ?? "aws";
      const alias = providerKey.includes(".") ? `.${providerKey.split(".")[1]}` : "";
      return {
        mode: "managed",
        type: rc.type,
        name: rc.name,
        provider: `provider["${AWS}"]${alias}`,
        instances: [
          {
            ...(rc.index === undefined ? {} : { index_key: rc.index }),
            schema_version: schema.version,
            attributes: resolveUnknown(rc.change.after, rc.change.after_unknown, schema.block, { resourceType: rc.type, address: rc.address }),
            sensitive_attributes: [],
          },
        ],
      };
    });
  return { version: 4, terraform_version: plan.terraform_version, serial: 1, lineage: randomUUID(), outputs: {}, resources, check_results: null };
}
