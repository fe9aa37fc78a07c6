import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import type { PolicyStatement } from "./iam-policy.js";

/** A role patchline creates: its ARN (derived from its name) and the statements of its permissions. */
export interface RoleGrants {
  readonly roleArn: string;
  readonly statements: readonly PolicyStatement[];
}

const recorded = new WeakMap<IConstruct, RoleGrants>();

/** Called by the constructs that create a role (a function's, a state machine's, a schedule's). */
export function recordRoleGrants(owner: IConstruct, grants: RoleGrants): void {
  recorded.set(owner, grants);
}

/** One role's use of a key: which KMS actions its policy allows on it. */
export interface KeyUse {
  readonly roleArn: string;
  readonly actions: readonly string[];
}

/**
 * The roles of `scope`'s stack whose permissions allow KMS actions on the key, read from the
 * statements they were built with: the key policy grants exactly what the roles' own policies ask
 * for, so a role that starts using the key is admitted by the same change, and one that stops is
 * dropped. Tokens are compared resolved (`${aws_kms_key.x.arn}`): each read of a resource
 * attribute is a new token.
 */
export function keyUses(scope: IConstruct, keyArn: string): KeyUse[] {
  const stack = TerraformStack.of(scope);
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (value: string): unknown => Tokenization.resolve(value, { scope: stack, resolver, preparing: false });
  const wanted = resolve(keyArn);
  const uses = new Map<string, Set<string>>();
  for (const construct of stack.node.findAll()) {
    const grants = recorded.get(construct);
    if (!grants) continue;
    for (const statement of grants.statements) {
      if ((statement.effect ?? "Allow") !== "Allow") continue;
      const onKey = (statement.resources ?? []).some((r) => resolve(r) === wanted);
      const kmsActions = statement.actions.filter((a) => a.startsWith("kms:"));
      if (!onKey || kmsActions.length === 0) continue;
      const actions = uses.get(grants.roleArn) ?? new Set<string>();
      for (const action of kmsActions) actions.add(action);
      uses.set(grants.roleArn, actions);
    }
  }
  return [...uses].map(([roleArn, actions]) => ({ roleArn, actions: [...actions].sort() })).sort((a, b) => a.roleArn.localeCompare(b.roleArn));
}
