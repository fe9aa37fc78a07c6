import { BackupStatuses, CommandStatuses, completedOutcomes, InstanceActions, OutcomeActions, PatchActions } from "../../contracts/approval.js";
import { sdkTask, type State } from "./asl.js";
import { failTo, invoke, LAMBDA_TASK_SECONDS, outcome, target } from "./approval-tasks.js";
import { retryTransient } from "./retry.js";

/** The approval workflow after the owner decided: back up, patch, and record how it ended. */

/** Optional AMI first, then AWS-RunPatchBaseline; both polled with backoff until their own deadline. */
export function patchingStates(instance: string, patch: string): Record<string, State> {
  return {
    BackupWanted: {
      Type: "Choice",
      Choices: [{ Variable: "$.settings.backupBeforePatch", BooleanEquals: true, Next: "CreateBackup" }],
      Default: "SendPatchCommand",
    },
    CreateBackup: invoke(
      instance,
      { action: InstanceActions.createBackup, ...target, "approvalId.$": "$.approval.approvalId", "timeoutMinutes.$": "$.settings.backupTimeoutMinutes" },
      "$.backup",
      "WaitForBackup",
      [failTo("BackupFailed")],
    ),
    WaitForBackup: { Type: "Wait", SecondsPath: "$.backup.nextCheckSeconds", Next: "CheckBackup" },
    CheckBackup: invoke(
      instance,
      { action: InstanceActions.checkBackup, ...target, "imageId.$": "$.backup.imageId", "waitUntil.$": "$.backup.waitUntil", "checks.$": "$.backup.checks" },
      "$.backup",
      "BackupReady",
      [failTo("BackupFailed")],
    ),
    BackupReady: {
      Type: "Choice",
      Choices: [
        { Variable: "$.backup.status", StringEquals: BackupStatuses.available, Next: "SendPatchCommand" },
        { Variable: "$.backup.status", StringEquals: BackupStatuses.pending, Next: "WaitForBackup" },
      ],
      Default: "BackupFailed",
    },
    SendPatchCommand: invoke(
      patch,
      {
        action: PatchActions.sendCommand,
        ...target,
        "environment.$": "$.request.environment",
        "approvalId.$": "$.approval.approvalId",
        "rebootOption.$": "$.settings.rebootOption",
        "timeoutMinutes.$": "$.settings.patchTimeoutMinutes",
      },
      "$.command",
      "WaitForPatch",
      [failTo("PatchFailed")],
    ),
    WaitForPatch: { Type: "Wait", SecondsPath: "$.command.nextCheckSeconds", Next: "CheckPatch" },
    CheckPatch: invoke(
      patch,
      {
        action: PatchActions.checkCommand,
        ...target,
        "commandId.$": "$.command.commandId",
        "waitUntil.$": "$.command.waitUntil",
        "checks.$": "$.command.checks",
      },
      "$.command",
      "PatchDone",
      [failTo("PatchFailed")],
    ),
    PatchDone: {
      Type: "Choice",
      Choices: [
        { Variable: "$.command.status", StringEquals: CommandStatuses.succeeded, Next: "Patched" },
        { Variable: "$.command.status", StringEquals: CommandStatuses.inProgress, Next: "WaitForPatch" },
      ],
      Default: "PatchFailed",
    },
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
    LookUpFailed: outcome("error", "look up the instance"),
    ReadPatchStateFailed: outcome("error", "read the instance's patch state"),
    RegisterFailed: outcome("error", "register the approval request"),
    AskFailed: outcome("error", "send the approval request"),
    CloseFailed: outcome("error", "close the unanswered request"),
    UnexpectedDecision: outcome("error", "read the decision"),
    UnexpectedEnvironment: outcome("error", "find the environment's ask state"),
    RecordOutcome: invoke(outcomeFn, { action: OutcomeActions.finish, "execution.$": "$$.Execution.Id", "state.$": "$" }, "$.recorded", "Finished", [
      { ErrorEquals: ["States.ALL"], ResultPath: "$.recordError", Next: "ReportUnrecordedOutcome" },
    ]),
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
