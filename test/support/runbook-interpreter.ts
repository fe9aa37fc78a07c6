import type { BranchRule, Runbook, RunbookStep } from "../../stacks/member/runbooks/automation.js";
import { assertValidRequest } from "./api-model.js";

/**
 * Runs an Automation runbook (schema 0.3) offline, step by step, as Systems Manager would as far
 * as patchline's runbooks use it: parameters with defaults and allowed values, `{{ }}` references,
 * aws:executeAwsApi / aws:waitForAwsResourceProperty / aws:assertAwsResourceProperty against a fake
 * of the AWS APIs (every request checked against AWS's API model first), aws:branch, aws:sleep,
 * aws:runCommand (a SendCommand to the fake), nextStep / isEnd / the next step in order, and a
 * failed step aborting the execution. What it cannot show: AWS's own behaviour behind the calls
 * (how long a backup takes, what EC2 does to the instance), IAM, and Automation's own quirks.
 */

/** Answers one API call: `service` is the runbook's Service (`ec2`, `ssm`, `backup`). Throwing fails the step. */
export type ApiFake = (service: string, api: string, input: Record<string, unknown>) => unknown;

export interface RunbookRun {
  readonly status: "Success" | "Failed" | "TimedOut";
  /** Step names in the order they ran. */
  readonly path: readonly string[];
  readonly calls: readonly { step: string; service: string; api: string; input: Record<string, unknown> }[];
  readonly failedStep?: string;
  readonly failure?: string;
  /** The runbook's outputs that were produced. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface RunOptions {
  /** How many times a wait step asks before it times out. @default 10 */
  readonly maxPolls?: number;
  readonly globals?: Readonly<Record<string, string>>;
}

const DEFAULT_GLOBALS = {
  "global:ACCOUNT_ID": "400000000002",
  "global:REGION": "us-east-1",
  "global:AWS_PARTITION": "aws",
  "automation:EXECUTION_ID": "0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
};

/** `$.A[0].B` of a value; undefined where the path leads nowhere (Automation then has no output). */
export function select(value: unknown, selector: string): unknown {
  if (!selector.startsWith("$")) throw new Error(`selector ${selector} is not JSONPath`);
  let current = value;
  for (const part of selector.slice(1).match(/\.[A-Za-z0-9_-]+|\[\d+\]/g) ?? []) {
    if (current === undefined || current === null) return undefined;
    current = part.startsWith("[") ? (current as unknown[])[Number(part.slice(1, -1))] : (current as Record<string, unknown>)[part.slice(1)];
  }
  return current;
}

function resolve(value: unknown, variables: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(value);
    const lookup = (name: string) => {
      if (!variables.has(name)) throw new Error(`{{ ${name} }} has no value at this point`);
      return variables.get(name);
    };
    if (whole) return lookup(whole[1]!);
    return value.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => String(lookup(name)));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, variables));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, variables)]));
  return value;
}

function matches(rule: BranchRule, variables: ReadonlyMap<string, unknown>): boolean {
  if (rule.And) return rule.And.every((r) => matches(r, variables));
  if (rule.Or) return rule.Or.some((r) => matches(r, variables));
  if (rule.Not) return !matches(rule.Not, variables);
  const actual = String(resolve(rule.Variable, variables));
  if (rule.StringEquals !== undefined) return actual === rule.StringEquals;
  if (rule.EqualsIgnoreCase !== undefined) return actual.toLowerCase() === rule.EqualsIgnoreCase.toLowerCase();
  if (rule.StartsWith !== undefined) return actual.startsWith(rule.StartsWith);
  throw new Error("a branch rule without a comparison");
}

/** The API call of an API step: its inputs without Service, Api and the property inputs, checked against AWS's model. */
function apiCall(step: RunbookStep, variables: ReadonlyMap<string, unknown>) {
  const { Service, Api, PropertySelector, DesiredValues, ...request } = resolve(step.inputs, variables) as Record<string, unknown>;
  assertValidRequest(String(Service), String(Api), request);
  return {
    service: String(Service),
    api: String(Api),
    request,
    selector: PropertySelector as string | undefined,
    desired: DesiredValues as string[] | undefined,
  };
}

/** The parameters an execution starts with: the given ones, the defaults, each checked as Automation checks them. */
function startParameters(runbook: Runbook, given: Readonly<Record<string, string>>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const name of Object.keys(given)) if (!(name in runbook.parameters)) throw new Error(`parameter ${name} is not the runbook's`);
  for (const [name, parameter] of Object.entries(runbook.parameters)) {
    const value = given[name] ?? parameter.default;
    if (value === undefined) throw new Error(`parameter ${name} is required`);
    if (parameter.allowedValues && !parameter.allowedValues.includes(String(value))) throw new Error(`parameter ${name}: ${String(value)} is not allowed`);
    if (parameter.allowedPattern && !new RegExp(parameter.allowedPattern).test(String(value)))
      throw new Error(`parameter ${name}: ${String(value)} does not match ${parameter.allowedPattern}`);
    values.set(name, value);
  }
  return values;
}

/** One execution of `runbook` with `parameters`, against `fake`. */
export function runRunbook(runbook: Runbook, parameters: Readonly<Record<string, string>>, fake: ApiFake, options: RunOptions = {}): RunbookRun {
  const variables = startParameters(runbook, parameters);
  for (const [name, value] of Object.entries({ ...DEFAULT_GLOBALS, ...options.globals })) variables.set(name, value);
  const path: string[] = [];
  const calls: { step: string; service: string; api: string; input: Record<string, unknown> }[] = [];
  const steps = runbook.mainSteps;
  let index = 0;
  const end = (status: RunbookRun["status"], failedStep?: string, failure?: string): RunbookRun => ({
    status,
    path,
    calls,
    ...(failedStep ? { failedStep, failure } : {}),
    outputs: Object.fromEntries((runbook.outputs ?? []).filter((o) => variables.has(o)).map((o) => [o, variables.get(o)])),
  });
  for (;;) {
    const step = steps[index];
    if (!step) return end("Success");
    path.push(step.name);
    let next: string | undefined;
    try {
      if (step.action === "aws:branch") {
        const choices = step.inputs.Choices as readonly (BranchRule & { NextStep: string })[];
        next = choices.find((c) => matches(c, variables))?.NextStep ?? (step.inputs.Default as string | undefined);
        if (!next) throw new Error("no choice matched and there is no Default");
      } else if (step.action === "aws:sleep") {
        // time passes; nothing is called
      } else if (step.action === "aws:runCommand") {
        const request = resolve(step.inputs, variables) as Record<string, unknown>;
        assertValidRequest("ssm", "SendCommand", request);
        calls.push({ step: step.name, service: "ssm", api: "SendCommand", input: request });
        const result = fake("ssm", "SendCommand", request) as { CommandId?: string; Status?: string };
        variables.set(`${step.name}.CommandId`, result.CommandId);
        variables.set(`${step.name}.Status`, result.Status);
        if (result.Status !== "Success") throw new Error(`the command ended ${result.Status}`);
      } else {
        const call = apiCall(step, variables);
        const ask = () => {
          calls.push({ step: step.name, service: call.service, api: call.api, input: call.request });
          return fake(call.service, call.api, call.request);
        };
        if (step.action === "aws:executeAwsApi") {
          const response = ask();
          for (const output of step.outputs ?? []) variables.set(`${step.name}.${output.Name}`, select(response, output.Selector));
        } else if (step.action === "aws:assertAwsResourceProperty") {
          const actual = select(ask(), call.selector!);
          if (!call.desired!.includes(String(actual))) throw new Error(`${call.selector} is ${String(actual)}, not one of ${call.desired!.join(", ")}`);
        } else if (step.action === "aws:waitForAwsResourceProperty") {
          let reached = false;
          for (let poll = 0; poll < (options.maxPolls ?? 10) && !reached; poll++) reached = call.desired!.includes(String(select(ask(), call.selector!)));
          if (!reached) return end("TimedOut", step.name, `${call.selector} did not reach ${call.desired!.join(", ")}`);
        } else throw new Error(`${step.action} is not run by this interpreter`);
      }
    } catch (error) {
      const target = step.onFailure?.startsWith("step:") ? step.onFailure.slice(5) : undefined;
      if (!target) return end("Failed", step.name, (error as Error).message);
      next = target;
    }
    if (!next && step.isEnd) return end("Success");
    const target = next ?? step.nextStep;
    index = target ? steps.findIndex((s) => s.name === target) : index + 1;
    if (index < 0) return end("Failed", step.name, `next step ${target} does not exist`);
  }
}
