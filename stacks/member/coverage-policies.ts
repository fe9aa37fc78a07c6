import type { CoverageCheck } from "../../contracts/compliance-model.js";
import { MAINTENANCE_WINDOW_TAG, PATCH_POLICY_TAG, PatchPolicy, type PatchGroupTagKey } from "../../contracts/tags.js";

/** Guard string literal: single-quoted, quotes and backslashes escaped. */
const literal = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const list = (values: readonly string[]) => `[${values.map(literal).join(", ")}]`;

export interface CoveragePolicyInput {
  /** The environment's patch groups: the values the patch group tag may take. */
  readonly patchGroups: readonly string[];
  /** The instance tag holding the patch group (`org.patchGroupTagKey`). */
  readonly patchGroupTagKey: PatchGroupTagKey;
  /** The environment's maintenance windows: the values `Maintenance Window` may take. */
  readonly windows: readonly string[];
}

/**
 * AWS Config custom policy rules (Guard 2) over an EC2 instance's configuration item, whose `tags`
 * is a map of tag key to value. Guard needs no Lambda in the member account. Each rule is its own
 * Config rule, so the digest can say which check an instance fails.
 */
export function coverageGuardPolicies(input: CoveragePolicyInput): Record<Exclude<CoverageCheck, "managed-by-ssm">, string> {
  return {
    "patch-group-tag": [
      `let patch_group = tags[ keys == ${literal(input.patchGroupTagKey)} ]`,
      "rule patch_group_names_a_group {",
      `  %patch_group !empty <<instance has no ${input.patchGroupTagKey} tag>>`,
      `  %patch_group IN ${list(input.patchGroups)} <<${input.patchGroupTagKey} names no patch group of this environment>>`,
      "}",
      "",
    ].join("\n"),
    "patch-policy-tag": [
      `let patch_policy = tags[ keys == ${literal(PATCH_POLICY_TAG)} ]`,
      "rule patch_policy_is_known {",
      `  %patch_policy !empty <<instance has no ${PATCH_POLICY_TAG} tag>>`,
      `  %patch_policy IN ${list(Object.values(PatchPolicy))} <<${PATCH_POLICY_TAG} is neither of the allowed values>>`,
      "}",
      "",
    ].join("\n"),
    // only instances that carry the tag are checked; without it the rule does not apply
    "maintenance-window-tag": [
      `let window = tags[ keys == ${literal(MAINTENANCE_WINDOW_TAG)} ]`,
      "rule window_tag_names_a_window when %window !empty {",
      `  %window IN ${list(input.windows)} <<${MAINTENANCE_WINDOW_TAG} names no maintenance window of this environment>>`,
      "}",
      "",
    ].join("\n"),
  };
}
