import type { Runbook } from "./automation.js";

/** One IAM action a runbook's step needs, and why. */
export interface RunbookCall {
  readonly step: string;
  readonly action: string;
  /** For iam:PassRole: the role the step hands on (an input's value). */
  readonly role?: string;
}

/** Automation's `Service` names are the API clients' (boto3); these are also their IAM prefixes. */
const SERVICES = new Set(["ssm", "ec2", "backup"]);

/**
 * What aws:runCommand calls besides SendCommand: it follows the command it sent until it ends
 * (the AWS-managed AmazonSSMAutomationRole grants these for it).
 */
export const RUN_COMMAND_FOLLOW_UP = ["ssm:ListCommands", "ssm:ListCommandInvocations"] as const;

const API_ACTIONS = new Set(["aws:executeAwsApi", "aws:waitForAwsResourceProperty", "aws:assertAwsResourceProperty"]);

/**
 * The IAM actions the steps of a runbook make with its assume role, read from the steps
 * themselves: each API step's `Service:Api`; aws:runCommand's SendCommand and follow-up calls;
 * iam:PassRole for every role an input hands to a service (StartBackupJob's IamRoleArn, Run
 * Command's ServiceRoleArn for notifications); ec2:CreateTags for tags set on creation
 * (TagSpecifications). Steps that call nothing (aws:branch, aws:sleep) add none. An action this
 * does not know is an error: a new kind of step needs its calls written here first.
 */
export function runbookCalls(runbook: Runbook): RunbookCall[] {
  const calls: RunbookCall[] = [];
  for (const step of runbook.mainSteps) {
    const inputs = step.inputs;
    if (API_ACTIONS.has(step.action)) {
      const service = String(inputs.Service);
      if (!SERVICES.has(service)) throw new Error(`step ${step.name}: service ${service} has no IAM prefix here; add it`);
      calls.push({ step: step.name, action: `${service}:${String(inputs.Api)}` });
      if (typeof inputs.IamRoleArn === "string") calls.push({ step: step.name, action: "iam:PassRole", role: inputs.IamRoleArn });
      if (inputs.TagSpecifications !== undefined) calls.push({ step: step.name, action: "ec2:CreateTags" });
    } else if (step.action === "aws:runCommand") {
      calls.push({ step: step.name, action: "ssm:SendCommand" }, ...RUN_COMMAND_FOLLOW_UP.map((action) => ({ step: step.name, action })));
      if (typeof inputs.ServiceRoleArn === "string") calls.push({ step: step.name, action: "iam:PassRole", role: inputs.ServiceRoleArn });
    } else if (step.action !== "aws:branch" && step.action !== "aws:sleep") {
      throw new Error(`step ${step.name}: the calls of ${step.action} are not known here; add them`);
    }
  }
  return calls;
}

/** The distinct IAM actions of some runbooks, sorted. */
export const runbookActions = (...runbooks: Runbook[]): string[] => [...new Set(runbooks.flatMap((r) => runbookCalls(r).map((c) => c.action)))].sort();
