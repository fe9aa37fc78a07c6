import type { State, StateMachineDefinition } from "../../../stacks/core/asl.js";
import type { Finding, Rule } from "../rule.js";
import { resourcesOf, type Block, type TerraformJson } from "../../support/terraform-json.js";

export const stateMachinesObservableAndEncrypted: Rule = {
  id: "SFN1",
  description: "Every state machine logs (without execution data), traces, and encrypts with a customer managed key",
  explanation:
    "Security Hub StepFunctions.1 wants logging on; execution data stays out of the logs because task inputs carry task tokens (research §1.3). A customer managed key encrypts definition and history.",
  check: (json) =>
    resourcesOf(json, "aws_sfn_state_machine").flatMap(([name, body]) => {
      const resource = `aws_sfn_state_machine.${name}`;
      const problems: string[] = [];
      const logging = body.logging_configuration as Block | undefined;
      if (!logging || logging.level === "OFF" || typeof logging.log_destination !== "string") problems.push("does not log to CloudWatch Logs");
      if (logging?.include_execution_data === true) problems.push("logs execution data (task tokens would reach the logs)");
      if ((body.tracing_configuration as Block | undefined)?.enabled !== true) problems.push("has no X-Ray tracing");
      if ((body.encryption_configuration as Block | undefined)?.type !== "CUSTOMER_MANAGED_KMS_KEY")
        problems.push("is not encrypted with a customer managed key");
      return problems.map((message) => ({ resource, message }));
    }),
};

function* tasks(definition: { States?: Record<string, State> }): Generator<[string, Extract<State, { Type: "Task" }>]> {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    if (state.Type === "Task") yield [name, state];
    if (state.Type === "Map") yield* tasks(state.ItemProcessor as { States: Record<string, State> });
    if (state.Type === "Parallel") for (const branch of state.Branches) yield* tasks(branch as { States: Record<string, State> });
  }
}

/** Definitions are rendered from plain data (see StateMachine); a token in one is a finding in itself. */
function definitionOf(body: Block): StateMachineDefinition | undefined {
  try {
    return JSON.parse(String(body.definition)) as StateMachineDefinition;
  } catch {
    return undefined;
  }
}

export const stateMachineTasksBounded: Rule = {
  id: "SFN2",
  description: "Every Task state has a timeout, callback tasks a deadline, and AWS calls a Retry",
  explanation:
    "A Task without TimeoutSeconds can hang for a year (callbacks wait until the token is used); every SDK or Lambda call meets throttling sooner or later and must retry it (research §3.1).",
  check: (json: TerraformJson) => {
    const findings: Finding[] = [];
    for (const [name, body] of resourcesOf(json, "aws_sfn_state_machine")) {
      const resource = `aws_sfn_state_machine.${name}`;
      const definition = definitionOf(body);
      if (!definition) {
        findings.push({ resource, message: "definition is not plain JSON" });
        continue;
      }
      for (const [stateName, task] of tasks(definition)) {
        if (task.TimeoutSeconds === undefined) findings.push({ resource, message: `Task ${stateName} has no TimeoutSeconds` });
        const callsAws = task.Resource.startsWith("arn:aws:states:::") || task.Resource.startsWith("arn:aws:lambda:");
        if (callsAws && !(task.Retry ?? []).length) findings.push({ resource, message: `Task ${stateName} calls AWS without a Retry` });
      }
    }
    return findings;
  },
};
