import { EmergencyErrors } from "../../contracts/emergency-patch.js";
import type { State, SubDefinition } from "../core/asl.js";
import { failTo, invoke } from "../core/lambda-task.js";

/** Seconds each task may take; the functions' own timeouts are shorter. */
export const emergencyTaskSeconds = { run: 300, commands: 120, notify: 180 } as const;

/** A child that gave up on its target: what it ends with, so the wave counts the target as not patched and says why. */
const notPatched = (status: string, comment: string): State => ({
  Type: "Pass",
  Comment: comment,
  Parameters: { status, "target.$": "$.target", "error.$": "$.error.Error", "cause.$": "$.error.Cause" },
  End: true,
});

/**
 * One child execution of a wave: one account-region. Send the windows' install commands, then
 * wait and check (the function's backoff: 1, 2, 4, then every 5 minutes) until every command ended
 * or the wave's deadline passed. The child always succeeds with the target's result: unreachable,
 * refused and unfollowed targets are results too, which the wave's summary counts.
 */
export function emergencyTargetDefinition(commandsFn: string): SubDefinition {
  return {
    StartAt: "SendCommands",
    States: {
      SendCommands: invoke(
        commandsFn,
        { action: "send", "target.$": "$.target", "patching.$": "$.patching" },
        {
          resultPath: "$.progress",
          timeoutSeconds: emergencyTaskSeconds.commands,
          next: "WaitForCommands",
          catches: [failTo("TargetUnreachable", [EmergencyErrors.targetUnreachable]), failTo("CommandsNotSent")],
        },
      ),
      WaitForCommands: { Type: "Wait", SecondsPath: "$.progress.nextCheckSeconds", Next: "CheckCommands" },
      CheckCommands: invoke(
        commandsFn,
        { action: "check", "target.$": "$.target", "patching.$": "$.patching", "progress.$": "$.progress" },
        { resultPath: "$.progress", timeoutSeconds: emergencyTaskSeconds.commands, next: "CommandsEnded", catches: [failTo("CommandsNotFollowed")] },
      ),
      CommandsEnded: {
        Type: "Choice",
        Choices: [{ Variable: "$.progress.status", StringEquals: "in-progress", Next: "WaitForCommands" }],
        Default: "TargetDone",
      },
      TargetDone: {
        Type: "Pass",
        Comment: "Every command ended (completed), or the wave's deadline came first (timed-out): the instances counted",
        Parameters: {
          "status.$": "$.progress.status",
          "target.$": "$.target",
          "commands.$": "$.progress.commands",
          "invocations.$": "$.progress.invocations",
          "failedInstances.$": "$.progress.failedInstances",
        },
        End: true,
      },
      TargetUnreachable: notPatched("unreachable", "The member role could not be assumed: nothing was sent to this account-region"),
      CommandsNotSent: notPatched("send-failed", "Systems Manager refused a command (its error says which, and what was sent before)"),
      CommandsNotFollowed: notPatched("check-failed", "The commands were sent but could not be followed: they run on, unseen by the run"),
    },
  };
}
