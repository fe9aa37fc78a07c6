/**
 * Automation runbooks as typed data (schema 0.3): patchline's runbooks are built by pure functions
 * (install-runbook.ts, restore-runbook.ts), rendered as JSON into `aws_ssm_document`, validated
 * by validate.ts, and their AWS calls read by calls.ts to check the roles they run with.
 */

export type ParameterType = "String" | "StringList" | "Integer" | "Boolean" | "MapList" | "StringMap" | "AWS::IAM::Role::Arn" | "AWS::EC2::Instance::Id";
export type OutputType = "String" | "Integer" | "Boolean" | "StringList" | "StringMap" | "MapList";

export interface RunbookParameter {
  readonly type: ParameterType;
  readonly description: string;
  readonly default?: string | number | boolean | readonly string[];
  readonly allowedValues?: readonly string[];
  readonly allowedPattern?: string;
}

/** What a step publishes for later steps (`{{ Step.Name }}`), read from the API's answer with a JSONPath selector. */
export interface StepOutput {
  readonly Name: string;
  readonly Selector: string;
  readonly Type: OutputType;
}

/** A rule of an aws:branch step: a variable compared one way, or And/Or/Not of rules. */
export interface BranchRule {
  readonly Variable?: string;
  readonly StringEquals?: string;
  readonly StartsWith?: string;
  readonly EqualsIgnoreCase?: string;
  readonly And?: readonly BranchRule[];
  readonly Or?: readonly BranchRule[];
  readonly Not?: BranchRule;
}

export interface BranchChoice extends BranchRule {
  readonly NextStep: string;
}

export interface RunbookStep {
  readonly name: string;
  readonly action: string;
  readonly description?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs?: readonly StepOutput[];
  readonly nextStep?: string;
  readonly isEnd?: boolean;
  /** `Abort` (the default: the execution fails), `Continue`, or `step:<name>`. */
  readonly onFailure?: string;
  readonly timeoutSeconds?: number;
  readonly maxAttempts?: number;
}

export interface Runbook {
  readonly schemaVersion: "0.3";
  readonly description: string;
  /** The role the steps run with: a parameter reference, so the caller names it. */
  readonly assumeRole: string;
  readonly parameters: Readonly<Record<string, RunbookParameter>>;
  readonly mainSteps: readonly RunbookStep[];
  /** `Step.Output` values the execution reports. */
  readonly outputs?: readonly string[];
}

/** The document content SSM gets (`aws_ssm_document.content`, document_format JSON). */
export const runbookJson = (runbook: Runbook): string => JSON.stringify(runbook, null, 2);

/** `{{ Name }}` */
export const ref = (name: string): string => `{{ ${name} }}`;

/** Every `{{ ... }}` reference in a value (strings, lists and maps, at any depth), trimmed. */
export function referencesIn(value: unknown): string[] {
  if (typeof value === "string") return [...value.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!);
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(referencesIn);
  return [];
}

/** The parameter every patchline runbook takes for the role it runs with. */
export const ASSUME_ROLE_PARAMETER = "AutomationAssumeRole";
