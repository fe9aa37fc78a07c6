import { BackupStatuses, CommandStatuses, completedOutcomes, InstanceActions, OutcomeActions, PatchActions } from "../../contracts/approval.js";
import { sdkTask, type State } from "../core/asl.js";
import { polledStep } from "../core/polling.js";
import { failTo, invoke, LAMBDA_TASK_SECONDS } from "../core/lambda-task.js";
import { outcome, target } from "./definition-tasks.js";
import { retryTransient } from "../core/retry.js";

/** The approval workflow after the owner decided: back up, patch, and record how it ended. */

/**
 * The change calendar first (when the environment has freezes): OPEN goes on; CLOSED waits until
 * the freeze ends and checks again (`approval.duringFreeze` "wait", bounded by the patch
 * function's `mayWait`) or records "frozen". The install runbooks read the same calendar.
 */
function freezeStates(patch: string): Record<string, State> {
  return {
    FreezeCheckWanted: {
      Type: "Choice",
      Choices: [{ Variable: "$.settings.changeCalendar", IsString: true, Next: "StartFreezeCheck" }],
      Default: "BackupWanted",
    },
    StartFreezeCheck: { Type: "Pass", Result: { checks: 0 }, ResultPath: "$.freeze", Next: "CheckChangeCalendar" },
    CheckChangeCalendar: invoke(
      patch,
      { action: PatchActions.checkCalendar, ...target, "calendar.$": "$.settings.changeCalendar", "checks.$": "$.freeze.checks" },
      { resultPath: "$.freeze", next: "IsCalendarOpen", catches: [failTo("CheckCalendarFailed")] },
    ),
    IsCalendarOpen: {
      Type: "Choice",
      Choices: [
        { Variable: "$.freeze.state", StringEquals: "OPEN", Next: "BackupWanted" },
        {
          And: [
            { Variable: "$.settings.duringFreeze", StringEquals: "wait" },
            { Variable: "$.freeze.mayWait", BooleanEquals: true },
          ],
          Next: "WaitForFreezeToEnd",
        },
      ],
      Default: "Frozen",
    },
    WaitForFreezeToEnd: {
      Type: "Wait",
      Comment: "Until the change calendar's next transition, at most a week",
      TimestampPath: "$.freeze.waitUntil",
      Next: "CheckChangeCalendar",
    },
  };
}

/** The change calendar, an optional AMI, then the window's patch command; backup and command polled with backoff until their own deadline. */
export function patchingStates(instance: string, patch: string): Record<string, State> {
  return {
    ...freezeStates(patch),
    BackupWanted: {
      Type: "Choice",
      Choices: [{ Variable: "$.settings.backupBeforePatch", BooleanEquals: true, Next: "CreateBackup" }],
      Default: "SendPatchCommand",
    },
    ...polledStep({
      fn: instance,
      states: { start: "CreateBackup", wait: "WaitForBackup", check: "CheckBackup", decide: "BackupReady" },
      startParameters: {
        action: InstanceActions.createBackup,
        ...target,
        "approvalId.$": "$.approval.approvalId",
        "timeoutMinutes.$": "$.settings.backupTimeoutMinutes",
      },
      checkParameters: {
        action: InstanceActions.checkBackup,
        ...target,
        "imageId.$": "$.backup.imageId",
        "waitUntil.$": "$.backup.waitUntil",
        "checks.$": "$.backup.checks",
      },
      resultPath: "$.backup",
      statuses: { done: BackupStatuses.available, pending: BackupStatuses.pending },
      onDone: "SendPatchCommand",
      onFailure: "BackupFailed",
    }),
    ...polledStep({
      fn: patch,
      states: { start: "SendPatchCommand", wait: "WaitForPatch", check: "CheckPatch", decide: "PatchDone" },
      startParameters: {
        action: PatchActions.sendCommand,
        ...target,
        "environment.$": "$.request.environment",
        "approvalId.$": "$.approval.approvalId",
        "patchCommand.$": "$.patchCommand",
        "timeoutMinutes.$": "$.settings.patchTimeoutMinutes",
      },
      checkParameters: {
        action: PatchActions.checkCommand,
        ...target,
        "commandId.$": "$.command.commandId",
        "waitUntil.$": "$.command.waitUntil",
        "checks.$": "$.command.checks",
      },
      resultPath: "$.command",
      statuses: { done: CommandStatuses.succeeded, pending: CommandStatuses.inProgress },
      onDone: "Patched",
      onFailure: "PatchFailed",
    }),
  };
}

/** Every end after the request is registered goes through RecordOutcome: recorded and notified, never silent. */
export function outcomeStates(outcomeFn: string, fallbackTopicArn: string): Record<string, State> {
  return {
    Patched: outcome("patched"),
    Rejected: outcome("rejected"),
    Expired: outcome("expired"),
    BackupFailed: outcome("backup-failed"),
    PatchFailed: outcome("patch-failed"),
    NotUrgent: outcome("not-urgent"),
    Frozen: outcome("frozen"),
    CheckCalendarFailed: outcome("error", "read the change calendar"),
    LookUpFailed: outcome("error", "look up the instance"),
    ReadPatchStateFailed: outcome("error", "read the instance's patch state"),
    NoPatchingWindow: outcome("error", "find the maintenance window of the instance's patch group"),
    ChoosePatchCommandFailed: outcome("error", "choose the patch command"),
    RegisterFailed: outcome("error", "register the approval request"),
    AskFailed: outcome("error", "send the approval request"),
    CloseFailed: outcome("error", "close the unanswered request"),
    UnexpectedDecision: outcome("error", "read the decision"),
    UnexpectedEnvironment: outcome("error", "find the environment's ask state"),
    RecordOutcome: invoke(
      outcomeFn,
      { action: OutcomeActions.finish, "execution.$": "$$.Execution.Id", "state.$": "$" },
      {
        resultPath: "$.recorded",
        next: "Finished",
        catches: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.recordError", Next: "ReportUnrecordedOutcome" }],
      },
    ),
    ReportUnrecordedOutcome: {
      Type: "Task",
      Resource: sdkTask("sns", "publish"),
      Parameters: {
        TopicArn: fallbackTopicArn,
        Subject: "patchline approval workflow: outcome not recorded",
        "Message.$":
          "States.Format('The approval workflow for instance {} (account {}, region {}) ended with outcome {}, but could not record or announce it. Execution: {}. Check its history and the approvals table.', $.request.instanceId, $.request.account, $.request.region, $.outcome.status, $$.Execution.Id)",
      },
      ResultPath: null,
      TimeoutSeconds: LAMBDA_TASK_SECONDS,
      Retry: [retryTransient("sns")],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "OutcomeNotRecorded" }],
      Next: "OutcomeNotRecorded",
    },
    OutcomeNotRecorded: {
      Type: "Fail",
      Error: "OutcomeNotRecorded",
      Cause: "The outcome could not be recorded or announced; the platform team's topic was told where possible.",
    },
    Finished: {
      Type: "Choice",
      Choices: [{ Or: completedOutcomes.map((status) => ({ Variable: "$.outcome.status", StringEquals: status })), Next: "Done" }],
      Default: "NotPatched",
    },
    Done: { Type: "Succeed" },
    NotPatched: {
      Type: "Fail",
      Error: "PatchingNotCompleted",
      Cause: "The backup, the patch command or a workflow step failed; the outcome was recorded in the approvals table and announced.",
    },
  };
}
