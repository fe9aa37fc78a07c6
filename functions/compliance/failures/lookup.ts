import { DescribeTagsCommand } from "@aws-sdk/client-ec2";
import { GetMaintenanceWindowCommand, ListCommandsCommand } from "@aws-sdk/client-ssm";
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
  readonly instanceName?: string;
  readonly owner?: string;
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
    if (failure.kind !== "patch-command") {
      const window = failure.windowId ? await ssm.send(new GetMaintenanceWindowCommand({ WindowId: failure.windowId })) : undefined;
      return { windowName: window?.Name };
    }
    const command = failure.commandId ? (await ssm.send(new ListCommandsCommand({ CommandId: failure.commandId }))).Commands?.[0] : undefined;
    const tags = failure.instanceId
      ? ((
          await ec2.send(
            new DescribeTagsCommand({
              Filters: [
                { Name: "resource-id", Values: [failure.instanceId] },
                { Name: "key", Values: ["Name", ownerTagKey] },
              ],
            }),
          )
        ).Tags ?? [])
      : [];
    const tag = (key: string) => tags.find((t) => t.Key === key)?.Value || undefined;
    const origin = commandOrigin(command?.Comment);
    const sender =
      origin?.kind === "window"
        ? { windowName: origin.windowName, taskName: origin.taskName }
        : origin?.kind === "approval"
          ? { approvalId: origin.approvalId }
          : {};
    return { ...sender, instanceName: tag("Name"), owner: tag(ownerTagKey) };
  } catch (thrown) {
    const error = asError(thrown);
    return { lookupProblem: `names could not be looked up (${error.name})` };
  }
}
