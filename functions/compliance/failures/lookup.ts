import { DescribeTagsCommand } from "@aws-sdk/client-ec2";
import { GetAutomationExecutionCommand, GetMaintenanceWindowCommand, ListCommandsCommand, type SSMClient } from "@aws-sdk/client-ssm";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { windowOfInstallRunbook } from "../../../contracts/install-runbook.js";
import type { STSClient } from "@aws-sdk/client-sts";
import { asError } from "../../shared/errors.js";
import type { MemberReadClientFactory } from "../shared/member-access.js";
import { assumeMemberRole } from "../../shared/member-role.js";
import { commandOrigin } from "../../../contracts/patch-command-comment.js";
import type { Failure } from "./events.js";

/** Names for the ids in an event, looked up in the member account. */
export interface FailureNames {
  readonly windowName?: string;
  /** The task the window ran (from the command's comment, contracts/patch-command-comment.ts). */
  readonly taskName?: string;
  /** Set when the approval workflow sent the command: it reports its own failures. */
  readonly approvalId?: string;
  /** Set when an emergency run sent the command: it sums its commands' failures per wave and tells its channels. */
  readonly emergencyRunId?: string;
  readonly instanceName?: string;
  readonly owner?: string;
  /** install-runbook: the instance the runbook ran for (an event of Automation names only the execution). */
  readonly instanceId?: string;
  /** install-runbook: the window execution that started the runbook (absent for a manual execution, whose parameter says "manual"). */
  readonly windowExecutionId?: string;
  /** install-runbook: why the execution failed, as Automation says. */
  readonly failureMessage?: string;
  /** Why a lookup failed; the notification still goes out, with ids. */
  readonly lookupProblem?: string;
}

/** Looks up the window, command and instance names of a failure through the member's reader role. */
export async function lookupNames(
  deps: { sts: STSClient; clientsFor: MemberReadClientFactory<"ssm" | "ec2">; roleArn: string },
  failure: Failure,
  ownerTagKey: string,
): Promise<FailureNames> {
  if (failure.kind === "compliance-run") return {};
  try {
    const credentials = await assumeMemberRole(deps.sts, deps.roleArn, "patchline-failure-notification");
    const { ssm, ec2 } = deps.clientsFor(credentials, failure.region);
    if (failure.kind === "install-runbook") return await installRunbookNames(ssm, ec2, failure, ownerTagKey);
    if (failure.kind !== "patch-command") {
      const window = failure.windowId ? await ssm.send(new GetMaintenanceWindowCommand({ WindowId: failure.windowId })) : undefined;
      return { windowName: window?.Name };
    }
    const command = failure.commandId ? (await ssm.send(new ListCommandsCommand({ CommandId: failure.commandId }))).Commands?.[0] : undefined;
    const origin = commandOrigin(command?.Comment);
    const sender =
      origin?.kind === "window"
        ? { windowName: origin.windowName, taskName: origin.taskName }
        : origin?.kind === "approval"
          ? { approvalId: origin.approvalId }
          : origin?.kind === "emergency"
            ? { emergencyRunId: origin.runId }
            : {};
    return { ...sender, ...(await instanceTags(ec2, failure.instanceId, ownerTagKey)) };
  } catch (thrown) {
    const error = asError(thrown);
    return { lookupProblem: `names could not be looked up (${error.name})` };
  }
}

/** The Name and owner tags of an instance. */
async function instanceTags(ec2: EC2Client, instanceId: string | undefined, ownerTagKey: string): Promise<{ instanceName?: string; owner?: string }> {
  if (!instanceId) return {};
  const tags =
    (
      await ec2.send(
        new DescribeTagsCommand({
          Filters: [
            { Name: "resource-id", Values: [instanceId] },
            { Name: "key", Values: ["Name", ownerTagKey] },
          ],
        }),
      )
    ).Tags ?? [];
  const tag = (key: string) => tags.find((t) => t.Key === key)?.Value || undefined;
  return { instanceName: tag("Name"), owner: tag(ownerTagKey) };
}

/** The install runbook's execution: which instance it was for, why it failed; the window from the runbook's name. */
async function installRunbookNames(ssm: SSMClient, ec2: EC2Client, failure: Failure, ownerTagKey: string): Promise<FailureNames> {
  const execution = failure.automationExecutionId
    ? (await ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: failure.automationExecutionId }))).AutomationExecution
    : undefined;
  const instanceId = execution?.Parameters?.InstanceId?.[0];
  const windowExecutionId = execution?.Parameters?.WindowExecutionId?.[0];
  return {
    windowName: windowOfInstallRunbook(failure.runbook),
    taskName: "install",
    ...(instanceId ? { instanceId } : {}),
    ...(windowExecutionId && windowExecutionId !== "manual" ? { windowExecutionId } : {}),
    ...(execution?.FailureMessage ? { failureMessage: execution.FailureMessage } : {}),
    ...(await instanceTags(ec2, instanceId, ownerTagKey)),
  };
}
