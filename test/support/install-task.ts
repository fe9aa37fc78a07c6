import { InstallParameters } from "../../stacks/member/runbooks/install-runbook.js";
import type { Block } from "./terraform-json.js";

type Parameter = { name: string; values: string[] };
const runbookOwn: readonly string[] = Object.values(InstallParameters);

/**
 * The patch command's parameters of a synthesized install task: a Run Command task's parameters, or
 * an Automation task's without the install runbook's own (role, instance, window execution).
 */
export function commandParametersOfTask(task: Block): Parameter[] {
  const invocation = task.task_invocation_parameters as Block;
  const run = invocation.run_command_parameters as { parameter: Parameter[] } | undefined;
  if (run) return run.parameter;
  const automation = invocation.automation_parameters as { parameter: Parameter[] } | undefined;
  if (!automation) throw new Error(`task ${String(task.name)} has neither Run Command nor Automation parameters`);
  return automation.parameter.filter((p) => !runbookOwn.includes(p.name));
}
