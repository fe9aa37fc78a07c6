import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Request shapes checked against AWS's own API models, the JSON models the AWS SDK for JavaScript
 * v2 ships (`aws-sdk/apis/`; only these files are read, never its runtime). The fakes of member
 * accounts run every request they answer through `assertValidRequest`, so a mocked call AWS would
 * reject fails the test instead of being answered.
 *
 * The shipped `*.min.json` models keep the shapes, their types and required members, but not the
 * constraint traits (min, max, pattern, enum): those the checker applies whenever a model carries
 * them (a `*.normal.json`, or botocore's `service-2.json`, which have the same format), and the
 * fakes keep their hand-written limits for what the shipped models leave out.
 */

/** One shape of an AWS JSON API model, as the SDK's models write it (`*.normal.json`, or `*.min.json` with defaults left out). */
export interface ModelShape {
  readonly type?: string;
  /** A named shape in the model's `shapes`; the member's other keys are serialization details. */
  readonly shape?: string;
  readonly members?: Readonly<Record<string, ModelShape>>;
  readonly required?: readonly string[];
  readonly member?: ModelShape;
  readonly key?: ModelShape;
  readonly value?: ModelShape;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly union?: boolean;
  readonly sensitive?: boolean;
  /** Filled by the SDK when the caller leaves it out, so never missing on the wire. */
  readonly idempotencyToken?: boolean;
}

export interface ApiModel {
  readonly metadata: { readonly uid?: string; readonly apiVersion?: string };
  readonly operations: Readonly<Record<string, { readonly input?: ModelShape }>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** Thrown for a request the model rejects; like the hand-written checks of the fakes, it is no service error (no `$metadata`), so the code under test cannot take it for one. */
export class ModelValidationError extends Error {
  override readonly name = "ValidationException";
}

const models = new Map<string, ApiModel>();

/** The folder of the SDK v2's API models. */
function apisFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("aws-sdk/package.json")), "apis");
}

/**
 * The newest API version of `service` (the model file's prefix: ssm, ec2, s3, sts, config), loaded
 * once per process. A `*.normal.json` is preferred for the constraints it carries.
 */
export function apiModel(service: string): ApiModel {
  const loaded = models.get(service);
  if (loaded) return loaded;
  const folder = apisFolder();
  const file = new RegExp(`^${service.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d{4}-\\d{2}-\\d{2})\\.(min|normal)\\.json$`);
  const versions = readdirSync(folder)
    .map((name) => file.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    // newest version first; of one version, normal before min
    .sort((a, b) => b[1]!.localeCompare(a[1]!) || b[2]!.localeCompare(a[2]!));
  const newest = versions[0];
  if (!newest) throw new Error(`no API model for service "${service}" in ${folder} (the model file's prefix, e.g. ssm, ec2, config)`);
  const model = JSON.parse(readFileSync(join(folder, newest[0]), "utf8")) as ApiModel;
  models.set(service, model);
  return model;
}

const patterns = new Map<string, RegExp | undefined>();

/**
 * The JS RegExp of a model's `pattern` (Java regular expressions, not anchored: Smithy's pattern
 * trait matches anywhere unless the pattern anchors itself). Unicode mode first: it reads `\p{…}`
 * and the surrogate pairs of ranges like `\uD800\uDC00-\uDBFF\uDFFF` as the code points they
 * mean; patterns with escapes unicode mode refuses (`\-` or `\:` outside a class) compile without
 * it. Java's `\A`, `\z` and `\Z` become `^` and `$`, a leading `(?i)` the `i` flag. A pattern
 * neither mode compiles (Java-only syntax: possessive quantifiers, atomic groups, class
 * intersections) is not checked: undefined.
 */
export function modelPattern(pattern: string): RegExp | undefined {
  if (patterns.has(pattern)) return patterns.get(pattern);
  const caseless = pattern.startsWith("(?i)");
  const source = (caseless ? pattern.slice(4) : pattern).replace(/(?<!\\)((?:\\\\)*)\\A/g, "$1^").replace(/(?<!\\)((?:\\\\)*)\\[zZ]/g, "$1$");
  let compiled: RegExp | undefined;
  for (const flags of ["u", ""]) {
    // without u, `\p{L}` would silently mean the letters p{L}: such a pattern needs unicode mode
    if (flags === "" && /\\[pP]\{/.test(source)) break;
    try {
      compiled = new RegExp(source, caseless ? `${flags}i` : flags);
      break;
    } catch {
      // next mode, or no check for this pattern
    }
  }
  patterns.set(pattern, compiled);
  return compiled;
}

/** The shape a member or list item stands for: the named shape it references, or itself. */
function resolve(model: ApiModel, shape: ModelShape): ModelShape {
  if (!shape.shape) return shape;
  const named = model.shapes[shape.shape];
  if (!named) throw new Error(`${model.metadata.uid ?? "model"}: shape ${shape.shape} is not defined`);
  return resolve(model, named);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** What the SDK v3 sends as a blob: bytes, text, or a stream. */
const isBlob = (value: unknown): boolean =>
  typeof value === "string" ||
  value instanceof ArrayBuffer ||
  ArrayBuffer.isView(value) ||
  (typeof Blob !== "undefined" && value instanceof Blob) ||
  (isRecord(value) && (typeof value.pipe === "function" || typeof value.getReader === "function"));

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function show(value: unknown, shape: ModelShape): string {
  if (shape.sensitive) return "(sensitive value)";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Min and max of a length or count: `what` names the unit. */
function bounds(path: string, size: number, shape: ModelShape, what: string, problems: string[]): void {
  if (shape.min !== undefined && size < shape.min) problems.push(`${path}: ${size} ${what}, at least ${shape.min} allowed`);
  if (shape.max !== undefined && size > shape.max) problems.push(`${path}: ${size} ${what}, at most ${shape.max} allowed`);
}

const kind = (value: unknown) => (Array.isArray(value) ? "a list" : typeof value);

/** Why `value` is not of the model's `type`, or undefined when it is (or when the type takes any value: document). */
function typeMismatch(type: string, value: unknown, shape: ModelShape): string | undefined {
  switch (type) {
    case "structure":
    case "map":
      return isRecord(value) ? undefined : `expected a ${type}, got ${kind(value)}`;
    case "list":
      return Array.isArray(value) ? undefined : `expected a list, got ${kind(value)}`;
    case "string":
      return typeof value === "string" ? undefined : `expected a string, got ${kind(value)}`;
    case "integer":
    case "long":
      return Number.isInteger(value) || (type === "long" && typeof value === "bigint") ? undefined : `expected an integer, got ${show(value, shape)}`;
    case "float":
    case "double":
      return typeof value === "number" && Number.isFinite(value) ? undefined : `expected a number, got ${show(value, shape)}`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `expected a boolean, got ${kind(value)}`;
    case "timestamp": {
      const valid =
        value instanceof Date ? !Number.isNaN(value.getTime()) : typeof value === "string" && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
      return valid ? undefined : `expected a timestamp (a valid Date or an ISO 8601 date-time), got ${show(value, shape)}`;
    }
    case "blob":
      return isBlob(value) ? undefined : `expected a blob (bytes, a string or a stream), got ${kind(value)}`;
    default:
      return undefined;
  }
}

function checkStructure(model: ApiModel, path: string, value: Record<string, unknown>, shape: ModelShape, problems: string[]): void {
  const members = shape.members ?? {};
  const at = (name: string) => (path ? `${path}.${name}` : name);
  for (const name of shape.required ?? []) {
    const member = members[name];
    const filledBySdk = member !== undefined && (member.idempotencyToken || resolve(model, member).idempotencyToken);
    if ((value[name] === undefined || value[name] === null) && !filledBySdk) problems.push(`${at(name)}: required member is missing`);
  }
  const set = Object.keys(value).filter((name) => value[name] !== undefined);
  for (const name of set) {
    const member = members[name];
    if (!member) problems.push(`${at(name)}: not a member of the request (members: ${Object.keys(members).join(", ") || "none"})`);
    else check(model, at(name), value[name], member, problems);
  }
  if (shape.union && set.length !== 1) problems.push(`${path || "input"}: a union takes exactly one member, got ${set.length}`);
}

/** Appends to `problems` what the model says is wrong with `value` at `path` (the empty path is the request itself). */
function check(model: ApiModel, path: string, value: unknown, reference: ModelShape, problems: string[]): void {
  // a member's own sensitive trait applies besides its shape's
  const shape = { ...resolve(model, reference), ...(reference.sensitive && { sensitive: true }) };
  const type = shape.type ?? (shape.members ? "structure" : "string");
  const mismatch = value === null ? "null is no value (leave the member out)" : typeMismatch(type, value, shape);
  if (mismatch) {
    problems.push(`${path || "input"}: ${mismatch}`);
    return;
  }
  if (type === "structure") checkStructure(model, path, value as Record<string, unknown>, shape, problems);
  else if (type === "list") {
    const items = value as unknown[];
    bounds(path, items.length, shape, "items", problems);
    items.forEach((item, n) => {
      if (item === undefined) problems.push(`${path}[${n}]: undefined item`);
      else check(model, `${path}[${n}]`, item, shape.member ?? {}, problems);
    });
  } else if (type === "map") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    bounds(path, entries.length, shape, "entries", problems);
    for (const [key, item] of entries) {
      check(model, `${path} key ${JSON.stringify(key)}`, key, shape.key ?? {}, problems);
      check(model, `${path}[${JSON.stringify(key)}]`, item, shape.value ?? {}, problems);
    }
  } else if (type === "string") {
    const text = value as string;
    // the model counts characters (code points), not UTF-16 units
    bounds(path, [...text].length, shape, "characters", problems);
    if (shape.enum && !shape.enum.includes(text)) problems.push(`${path}: ${show(text, shape)} is not one of ${shape.enum.join(", ")}`);
    const pattern = shape.pattern === undefined ? undefined : modelPattern(shape.pattern);
    if (pattern && !pattern.test(text)) problems.push(`${path}: ${show(text, shape)} does not match the pattern ${shape.pattern}`);
  } else if (["integer", "long", "float", "double"].includes(type)) {
    const number = Number(value);
    if (shape.min !== undefined && number < shape.min) problems.push(`${path}: ${number} is below the minimum ${shape.min}`);
    if (shape.max !== undefined && number > shape.max) problems.push(`${path}: ${number} is above the maximum ${shape.max}`);
  } else if (type === "blob" && (typeof value === "string" || ArrayBuffer.isView(value) || value instanceof ArrayBuffer)) {
    bounds(path, typeof value === "string" ? Buffer.byteLength(value) : value.byteLength, shape, "bytes", problems);
  }
}

/** What the model says is wrong with `input` as the request of `operation`: [] for a request it accepts. */
export function problemsAgainst(model: ApiModel, operation: string, input: unknown): string[] {
  const definition = model.operations[operation];
  if (!definition) throw new Error(`${model.metadata.uid ?? "model"} has no operation ${operation}`);
  const problems: string[] = [];
  check(model, "", input ?? {}, definition.input ?? { type: "structure", members: {} }, problems);
  return problems;
}

/** What AWS's model of `service` (ssm, ec2, s3, sts, config) says is wrong with `input` as the request of `operation`. */
export function requestProblems(service: string, operation: string, input: unknown): string[] {
  return problemsAgainst(apiModel(service), operation, input);
}

/** Throws a ModelValidationError naming the operation and every problem the model finds in the request. */
export function assertValidRequest(service: string, operation: string, input: unknown): void {
  const problems = requestProblems(service, operation, input);
  if (problems.length > 0)
    throw new ModelValidationError(`${service}:${operation} request AWS's API model rejects:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}
