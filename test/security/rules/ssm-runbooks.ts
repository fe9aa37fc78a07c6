import type { Runbook } from "../../../stacks/member/runbooks/automation.js";
import { runbookCalls } from "../../../stacks/member/runbooks/calls.js";
import { runbookProblems } from "../../../stacks/member/runbooks/validate.js";
import { resourcesOf } from "../../support/terraform-json.js";
import type { Finding, Rule } from "../rule.js";

/** Actions that run code or other documents with the runbook's role: none of patchline's runbooks needs one. */
const CODE_RUNNING_ACTIONS = new Set([
  "aws:executeScript",
  "aws:invokeLambdaFunction",
  "aws:executeAutomation",
  "aws:runInstances",
  "aws:createStack",
  "aws:loop",
]);

export const ssmRunbooksScoped: Rule = {
  id: "SSM1",
  description: "Every Automation runbook is valid, runs with the role a parameter names, runs no code, and every AWS call of its steps is known",
  explanation:
    "A runbook without an assume-role parameter runs with whoever starts it; a script or Lambda step hides calls from the role derivation (stacks/member/runbooks/calls.ts), so the role would have to be guessed.",
  check: (json) =>
    resourcesOf(json, "aws_ssm_document")
      .filter(([, body]) => body.document_type === "Automation")
      .flatMap(([name, body]): Finding[] => {
        const resource = `aws_ssm_document.${name}`;
        if (body.document_format !== "JSON")
          return [{ resource, message: `document_format ${String(body.document_format)}: patchline renders runbooks as JSON` }];
        let runbook: Runbook;
        try {
          runbook = JSON.parse(String(body.content)) as Runbook;
        } catch {
          return [{ resource, message: "content is not JSON" }];
        }
        const messages = runbookProblems(runbook);
        for (const step of runbook.mainSteps ?? [])
          if (CODE_RUNNING_ACTIONS.has(step.action)) messages.push(`step ${step.name} runs code or documents (${step.action})`);
        try {
          runbookCalls(runbook);
        } catch (error) {
          messages.push((error as Error).message);
        }
        return messages.map((message) => ({ resource, message }));
      }),
};

/** The AWS managed policies patchline attaches, and the one service whose role may have each. */
const MANAGED_POLICY_SERVICES: Readonly<Record<string, string>> = {
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup": "backup.amazonaws.com",
};

export const managedPoliciesOnServiceRolesOnly: Rule = {
  id: "IAM6",
  description: "AWS managed policies are attached only to the service role they are made for, trusted by that service alone",
  explanation:
    "An AWS managed policy grants what a service needs across all resource types (AWSBackupServiceRolePolicyForBackup backs up every kind of resource): on a role that anything but that service may assume, it is a broad grant nobody reviews.",
  check: (json) =>
    resourcesOf(json, "aws_iam_role_policy_attachment").flatMap(([name, body]): Finding[] => {
      const resource = `aws_iam_role_policy_attachment.${name}`;
      const policy = String(body.policy_arn);
      if (!policy.startsWith("arn:aws:iam::aws:policy/")) return [];
      const service = MANAGED_POLICY_SERVICES[policy];
      if (!service) return [{ resource, message: `attaches ${policy}, which is not one of the AWS managed policies patchline allows` }];
      const roleName = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(String(body.role))?.[1];
      const trustRef = roleName
        ? /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(json.resource?.aws_iam_role?.[roleName]?.assume_role_policy))?.[1]
        : undefined;
      const statements = (trustRef ? json.data?.aws_iam_policy_document?.[trustRef]?.statement : undefined) as
        | { principals?: { type: string; identifiers: string[] }[] }[]
        | undefined;
      const principals = (statements ?? []).flatMap((s) => s.principals ?? []);
      const onlyTheService =
        principals.length > 0 && principals.every((p) => p.type === "Service" && p.identifiers.length === 1 && p.identifiers[0] === service);
      return onlyTheService ? [] : [{ resource, message: `attaches ${policy} to a role not trusted by ${service} alone` }];
    }),
};
