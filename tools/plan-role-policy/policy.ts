import { decryptAllows, decryptViaServices } from "./decrypt.js";
import { denyStatements } from "./denies.js";
import { packStatements, type PolicyDocument, type PolicyStatement } from "./document.js";
import { dataSourceReads, resourceReads, scopes, type Scope, type TypeReads } from "./read-calls.js";
import type { StackKind, StackTypes } from "./stacks.js";

/** The synthesized stacks use what the generator cannot grant: each problem names the stack and type or address. */
export class PlanRolePolicyError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `the plan role's policy cannot be generated (${problems.length} ${problems.length === 1 ? "problem" : "problems"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

export interface PlanRolePolicy {
  readonly kind: StackKind;
  /** The resource types and data sources (`data.<type>`) of every stack of the kind, sorted. */
  readonly types: readonly string[];
  /** One document, or several when one would exceed IAM's managed-policy limit: attach all. */
  readonly documents: readonly PolicyDocument[];
}

// statement order, and so document order, is fixed: the output is stable
const scopeOrder: readonly Scope[] = [
  "*",
  "bucket",
  "rendered-object",
  "attached-role",
  "function",
  "role",
  "policy",
  "topic",
  "queue",
  "table",
  "state-machine",
  "secret",
  "http-api",
  "quicksight",
  "backup-vault",
];
const sidOf = (scope: Scope) => (scope === "*" ? "ReadUnscoped" : `Read${scope.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`);

function globMatches(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);
}

/** `${aws_s3_bucket.<id>.id}` (or `.bucket`) → that bucket's literal name in the same stack. */
function bucketName(stack: StackTypes, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!value.includes("${")) return value;
  const ref = /^\$\{aws_s3_bucket\.([^.}]+)\.(?:id|bucket)\}$/.exec(value);
  const bucket = ref ? stack.resources.aws_s3_bucket?.[ref[1]!]?.bucket : undefined;
  return typeof bucket === "string" && !bucket.includes("${") ? bucket : undefined;
}

function renderedObjectArns(stack: StackTypes, problems: string[]): string[] {
  return Object.entries(stack.resources.aws_s3_object ?? {}).flatMap(([id, object]) => {
    const bucket = bucketName(stack, object.bucket);
    const key = object.key;
    if (bucket === undefined || typeof key !== "string" || key.includes("${")) {
      problems.push(
        `${stack.stack}: aws_s3_object.${id}: bucket and key must be literal or a bucket of the same stack to scope s3:GetObject to the object (got bucket ${JSON.stringify(object.bucket)}, key ${JSON.stringify(key)})`,
      );
      return [];
    }
    return [`arn:aws:s3:::${bucket}/${key}`];
  });
}

/**
 * The roles policies are attached to (aws_iam_role_policy_attachment), by name: a role outside the
 * prefix too (QuickSight's service role lives below `service-role/`). The role's name is literal or
 * a role of the same stack; its path is unknown, so the ARN matches the name at any path.
 */
function attachedRoleArns(stack: StackTypes, problems: string[]): string[] {
  return Object.entries(stack.resources.aws_iam_role_policy_attachment ?? {}).flatMap(([id, attachment]) => {
    const ref = typeof attachment.role === "string" ? /^\$\{aws_iam_role\.([^.}]+)\.(?:id|name)\}$/.exec(attachment.role) : null;
    const name = ref ? stack.resources.aws_iam_role?.[ref[1]!]?.name : attachment.role;
    if (typeof name !== "string" || name.includes("${")) {
      problems.push(
        `${stack.stack}: aws_iam_role_policy_attachment.${id}: role must be a literal name or a role of the same stack to scope iam:ListAttachedRolePolicies to it (got ${JSON.stringify(attachment.role)})`,
      );
      return [];
    }
    return [`arn:aws:iam::*:role/${name}`, `arn:aws:iam::*:role/*/${name}`];
  });
}

function checkNames(stack: StackTypes, type: string, reads: TypeReads, prefix: string, problems: string[]): void {
  const scope = reads.reads.find((g) => g.scope !== "*" && g.scope !== "rendered-object" && g.scope !== "attached-role")?.scope as
    | keyof typeof scopes
    | undefined;
  const pattern = scope === undefined ? undefined : scopes[scope].name?.(prefix);
  if (reads.nameAttribute === undefined || pattern === undefined) return;
  for (const [id, resource] of Object.entries(stack.resources[type] ?? {})) {
    const name = resource[reads.nameAttribute];
    if (typeof name !== "string" || name.includes("${") || !globMatches(pattern, name)) {
      problems.push(
        `${stack.stack}: ${type}.${id}: ${reads.nameAttribute} ${JSON.stringify(name)} is outside the plan role's scope "${pattern}": name it from org.namePrefix (stacks/naming.ts) or widen the scope in tools/plan-role-policy/read-calls.ts`,
      );
    }
  }
}

/** The plan role's policy for the accounts of one stack kind, from that kind's synthesized stacks. */
export function planRolePolicy(kind: StackKind, stacks: readonly StackTypes[], namePrefix: string): PlanRolePolicy | undefined {
  const ofKind = stacks.filter((s) => s.kind === kind);
  if (ofKind.length === 0) return undefined;
  const problems: string[] = [];
  const actions = new Map<Scope, Set<string>>();
  const objects = new Set<string>();
  const attachedRoles = new Set<string>();
  const types = new Set<string>();
  const decryptVia = new Set<string>();
  const grant = (reads: TypeReads) => {
    for (const group of reads.reads) for (const action of group.actions) actions.set(group.scope, (actions.get(group.scope) ?? new Set()).add(action));
  };
  for (const stack of ofKind) {
    for (const type of Object.keys(stack.resources).sort()) {
      types.add(type);
      const reads = resourceReads[type];
      if (!reads) {
        problems.push(
          `${stack.stack}: resource type ${type} has no read calls in tools/plan-role-policy/read-calls.ts: add the IAM actions hashicorp/aws calls in its Read function`,
        );
        continue;
      }
      grant(reads);
      checkNames(stack, type, reads, namePrefix, problems);
    }
    for (const type of Object.keys(stack.data).sort()) {
      types.add(`data.${type}`);
      const reads = dataSourceReads[type];
      if (!reads)
        problems.push(
          `${stack.stack}: data source ${type} has no read calls in tools/plan-role-policy/read-calls.ts: add the IAM actions hashicorp/aws calls in its Read function`,
        );
      else grant(reads);
    }
    for (const arn of renderedObjectArns(stack, problems)) objects.add(arn);
    for (const arn of attachedRoleArns(stack, problems)) attachedRoles.add(arn);
    for (const service of decryptViaServices(stack, problems)) decryptVia.add(service);
  }
  if (problems.length > 0) throw new PlanRolePolicyError([...new Set(problems)]);

  const allows: PolicyStatement[] = scopeOrder.flatMap((scope): PolicyStatement[] => {
    const granted = actions.get(scope);
    if (!granted || granted.size === 0) return [];
    const resource =
      scope === "*"
        ? "*"
        : scope === "rendered-object"
          ? [...objects].sort()
          : scope === "attached-role"
            ? [...attachedRoles].sort()
            : scopes[scope].arns(namePrefix);
    return [{ Sid: sidOf(scope), Effect: "Allow", Action: [...granted].sort(), Resource: resource }];
  });
  const via = [...decryptVia].sort();
  return { kind, types: [...types].sort(), documents: packStatements([...denyStatements([...objects].sort(), via), ...allows, ...decryptAllows(via)]) };
}
