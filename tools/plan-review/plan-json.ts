import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { jsonFiles } from "../lib/json-files.js";
import { planFingerprint, type FingerprintedPlan, type PlanFingerprint } from "./fingerprint.js";

/** The parts of `terraform show -json <planfile>` the review reads. */
export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly change: {
    readonly actions: readonly Action[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: unknown;
  };
}
export type Action = "no-op" | "create" | "read" | "update" | "delete";

export interface PlanJson extends FingerprintedPlan {
  readonly format_version: string;
  readonly resource_changes?: readonly ResourceChange[];
}

export interface StackPlan {
  /** Stack name: the plan file's name without `.json` (the folder name under cdktf.out/stacks). */
  readonly stack: string;
  /** `central`, or the part of the stack name before the first "-". */
  readonly environment: string;
  readonly changes: readonly ResourceChange[];
  /** What the plan would do, for the deploy to compare its own plan with (read from a plan file). */
  readonly fingerprint?: PlanFingerprint;
}

export type ChangeKind = "create" | "update" | "replace" | "destroy";

/** create / update / replace / destroy, or undefined for no-op and data reads. */
export function changeKind(change: ResourceChange): ChangeKind | undefined {
  if (change.mode !== "managed") return undefined;
  const actions = change.change.actions;
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  if (actions.includes("create")) return "create";
  if (actions.includes("delete")) return "destroy";
  if (actions.includes("update")) return "update";
  return undefined;
}

export function environmentOf(stack: string): string {
  return stack === "central" ? "central" : stack.split("-")[0]!;
}

export class PlanFileError extends Error {
  override readonly name = "PlanFileError";
}

/** Parses one plan; the stack name comes from the file name. */
export function parsePlan(stack: string, text: string, source: string): StackPlan {
  let json: PlanJson;
  try {
    json = JSON.parse(text) as PlanJson;
  } catch (error) {
    throw new PlanFileError(`${source}: not JSON (${(error as Error).message}); give the output of "terraform show -json <planfile>"`);
  }
  if (typeof json.format_version !== "string" || (json.resource_changes !== undefined && !Array.isArray(json.resource_changes))) {
    throw new PlanFileError(`${source}: not a Terraform plan in JSON; give the output of "terraform show -json <planfile>"`);
  }
  return { stack, environment: environmentOf(stack), changes: json.resource_changes ?? [], fingerprint: planFingerprint(json) };
}

/** Reads plan files, or every `*.json` in the given folders. */
export function readPlans(paths: readonly string[]): StackPlan[] {
  return jsonFiles(paths).map((file) => parsePlan(basename(file, ".json"), readFileSync(file, "utf8"), file));
}
