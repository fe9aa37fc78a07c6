import { referencesIn, type BranchRule, type Runbook, type RunbookStep } from "./automation.js";

/**
 * Automation's actions (Systems Manager Automation actions reference) with the inputs each one
 * requires; `oneOf` lists inputs of which exactly one is required. Outputs an action publishes
 * without declaring them (aws:runCommand's CommandId, …) are `builtInOutputs`.
 */
const ACTIONS: Readonly<Record<string, { required: readonly string[]; oneOf?: readonly string[]; builtInOutputs?: readonly string[] }>> = {
  "aws:approve": { required: ["Approvers"] },
  "aws:assertAwsResourceProperty": { required: ["Service", "Api", "PropertySelector", "DesiredValues"] },
  "aws:branch": { required: ["Choices"] },
  "aws:changeInstanceState": { required: ["InstanceIds", "DesiredState"] },
  "aws:copyImage": { required: ["SourceImageId", "SourceRegion", "ImageName"], builtInOutputs: ["ImageId", "ImageState"] },
  "aws:createImage": { required: ["InstanceId", "ImageName"], builtInOutputs: ["ImageId", "ImageState"] },
  "aws:createStack": { required: ["StackName"] },
  "aws:createTags": { required: ["ResourceIds", "Tags"] },
  "aws:deleteImage": { required: ["ImageId"] },
  "aws:deleteStack": { required: ["StackName"] },
  "aws:executeAutomation": { required: ["DocumentName"] },
  "aws:executeAwsApi": { required: ["Service", "Api"] },
  "aws:executeScript": { required: ["Runtime", "Handler"] },
  "aws:executeStateMachine": { required: ["stateMachineArn"] },
  "aws:invokeLambdaFunction": { required: ["FunctionName"] },
  "aws:invokeWebhook": { required: ["IntegrationName"] },
  "aws:loop": { required: ["Iterators", "Steps"] },
  "aws:pause": { required: [] },
  "aws:runCommand": { required: ["DocumentName"], builtInOutputs: ["CommandId", "Status", "ResponseCode", "Output"] },
  "aws:runInstances": { required: ["ImageId"], builtInOutputs: ["InstanceIds"] },
  "aws:sleep": { required: [], oneOf: ["Duration", "Timestamp"] },
  "aws:updateVariable": { required: ["Name", "Value"] },
  "aws:waitForAwsResourceProperty": { required: ["Service", "Api", "PropertySelector", "DesiredValues"] },
};

/** Automation's variables besides the parameters and step outputs. */
const SYSTEM_VARIABLES = /^(global:(ACCOUNT_ID|REGION|AWS_PARTITION|DATE|DATE_TIME|AWS_URL_SUFFIX)|automation:(EXECUTION_ID|DOCUMENT_EXECUTION_ID))$/;
const STEP_NAME = /^[a-zA-Z0-9_]{1,100}$/;
const PARAMETER_NAME = /^[a-zA-Z0-9_]{1,50}$/;
const COMPARISONS = ["StringEquals", "StartsWith", "EqualsIgnoreCase"] as const;

function ruleProblems(rule: BranchRule, where: string, problems: string[]): void {
  const nested = [rule.And, rule.Or].filter((r): r is readonly BranchRule[] => r !== undefined);
  const comparisons = COMPARISONS.filter((c) => rule[c] !== undefined);
  if (rule.Not) ruleProblems(rule.Not, `${where} Not`, problems);
  for (const list of nested) list.forEach((r, i) => ruleProblems(r, `${where}[${i}]`, problems));
  if (nested.length === 0 && !rule.Not) {
    if (!rule.Variable || referencesIn(rule.Variable).length !== 1) problems.push(`${where}: Variable must be one {{ }} reference`);
    if (comparisons.length !== 1) problems.push(`${where}: needs exactly one comparison (${COMPARISONS.join(", ")})`);
  }
}

/** Where a step goes next, for the reachability and target checks. */
export function successorsOf(step: RunbookStep, index: number, steps: readonly RunbookStep[]): string[] {
  if (step.action === "aws:branch") {
    const choices = (step.inputs.Choices as readonly { NextStep?: string }[] | undefined) ?? [];
    return [...choices.map((c) => c.NextStep ?? ""), ...(typeof step.inputs.Default === "string" ? [step.inputs.Default] : [])];
  }
  const failure = step.onFailure?.startsWith("step:") ? [step.onFailure.slice(5)] : [];
  if (step.isEnd) return failure;
  return [step.nextStep ?? steps[index + 1]?.name, ...failure].filter((s): s is string => s !== undefined);
}

/**
 * What is wrong with a runbook, or an empty list: schema 0.3; every step's action is one of
 * Automation's, with its required inputs; step and parameter names valid and unique; every
 * nextStep, onFailure step and branch target exists; every `{{ }}` names a parameter, a system
 * variable or an output a step declares (or its action publishes); the role is a parameter; every
 * step can be reached from the first.
 */
export function runbookProblems(runbook: Runbook): string[] {
  const problems: string[] = [];
  if (runbook.schemaVersion !== "0.3") problems.push(`schemaVersion ${JSON.stringify(runbook.schemaVersion)} is not "0.3"`);
  const parameters = new Set(Object.keys(runbook.parameters));
  for (const name of parameters) if (!PARAMETER_NAME.test(name)) problems.push(`parameter ${JSON.stringify(name)}: not a valid parameter name`);
  const steps = runbook.mainSteps;
  if (steps.length === 0) problems.push("mainSteps is empty");
  const names = new Map<string, RunbookStep>();
  for (const step of steps) {
    if (!STEP_NAME.test(step.name)) problems.push(`step ${JSON.stringify(step.name)}: not a valid step name (letters, digits, _)`);
    if (names.has(step.name)) problems.push(`step ${step.name}: the name is used twice`);
    names.set(step.name, step);
  }
  const outputOf = (reference: string): boolean => {
    const [stepName, output] = reference.split(".");
    const step = stepName ? names.get(stepName) : undefined;
    if (!step || !output) return false;
    return (step.outputs ?? []).some((o) => o.Name === output) || (ACTIONS[step.action]?.builtInOutputs ?? []).includes(output);
  };
  const resolves = (reference: string) => parameters.has(reference) || SYSTEM_VARIABLES.test(reference) || outputOf(reference);

  const roleRefs = referencesIn(runbook.assumeRole);
  if (roleRefs.length !== 1 || !parameters.has(roleRefs[0]!)) problems.push(`assumeRole ${JSON.stringify(runbook.assumeRole)} is not a parameter reference`);

  steps.forEach((step, index) => {
    const where = `step ${step.name}`;
    const action = ACTIONS[step.action];
    if (!action) {
      problems.push(`${where}: ${JSON.stringify(step.action)} is not an Automation action`);
      return;
    }
    for (const input of action.required) if (step.inputs[input] === undefined) problems.push(`${where}: ${step.action} requires input ${input}`);
    if (action.oneOf && action.oneOf.filter((i) => step.inputs[i] !== undefined).length !== 1)
      problems.push(`${where}: ${step.action} takes exactly one of ${action.oneOf.join(", ")}`);
    for (const reference of referencesIn(step.inputs)) if (!resolves(reference)) problems.push(`${where}: {{ ${reference} }} names no parameter or output`);
    for (const output of step.outputs ?? []) if (!output.Selector.startsWith("$")) problems.push(`${where}: output ${output.Name} has no JSONPath selector`);
    if (step.action === "aws:branch") {
      ((step.inputs.Choices as readonly BranchRule[] | undefined) ?? []).forEach((choice, i) => ruleProblems(choice, `${where} choice ${i}`, problems));
      if (step.isEnd || step.nextStep) problems.push(`${where}: a branch goes on by its choices, not nextStep or isEnd`);
    }
    if (step.onFailure && !["Abort", "Continue"].includes(step.onFailure) && !step.onFailure.startsWith("step:"))
      problems.push(`${where}: onFailure ${JSON.stringify(step.onFailure)} is not Abort, Continue or step:<name>`);
    for (const next of successorsOf(step, index, steps)) if (!names.has(next)) problems.push(`${where}: goes to ${JSON.stringify(next)}, which is no step`);
  });
  for (const output of runbook.outputs ?? []) if (!outputOf(output)) problems.push(`outputs: ${output} is no step's output`);

  // every step reachable from the first
  const reached = new Set<string>();
  const queue = steps.length > 0 ? [steps[0]!.name] : [];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (reached.has(name) || !names.has(name)) continue;
    reached.add(name);
    const index = steps.findIndex((s) => s.name === name);
    queue.push(...successorsOf(steps[index]!, index, steps));
  }
  for (const step of steps) if (!reached.has(step.name)) problems.push(`step ${step.name}: no step leads to it`);
  return problems;
}

/** Throws when the runbook is not valid (the builders' own output: a bug, not a configuration problem). */
export function assertValidRunbook(name: string, runbook: Runbook): void {
  const problems = runbookProblems(runbook);
  if (problems.length > 0) throw new Error(`runbook ${name} is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}
