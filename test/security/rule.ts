import type { TerraformJson } from "../support/terraform-json.js";

/** One problem a rule found in a stack. */
export interface Finding {
  /** `type.name` of the offending resource or data source. */
  readonly resource: string;
  readonly message: string;
}

/**
 * A guardrail over the synthesized Terraform JSON (cdk-nag style): an id, what it requires in one
 * line, why, and a pure check.
 */
export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly explanation: string;
  check(json: TerraformJson): Promise<readonly Finding[]> | readonly Finding[];
}

/** A CI file as parsed YAML: a workflow (`jobs`) or a composite action (`runs`), named by its path. */
export interface CiFile {
  readonly path: string;
  readonly content: unknown;
}

/** A guardrail over the repository's GitHub Actions files, like Rule over the Terraform. */
export interface CiRule {
  readonly id: string;
  readonly description: string;
  readonly explanation: string;
  check(file: CiFile): readonly Finding[];
}
