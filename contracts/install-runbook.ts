/**
 * What patchline's install runbook (stacks/member/runbooks/install-runbook.ts), the failure
 * notifications (functions/compliance/failures) and `npm run restore` agree on: the runbook's
 * step names (its step events are forwarded by name) and the tags of the pre-patch backups.
 */

/** The install runbook's steps, in the order they run. */
export const InstallSteps = {
  checkCalendar: "CheckChangeCalendar",
  openForChanges: "OpenForChanges",
  /** Reached only while the change calendar is CLOSED: the execution ends here, nothing patched. */
  changeFreeze: "SkipPatchingDuringChangeFreeze",
  findRootDevice: "FindRootDevice",
  findRootVolume: "FindRootVolume",
  startBackup: "StartPrePatchBackup",
  waitForBackup: "WaitForPrePatchBackup",
  backupCompleted: "PrePatchBackupCompleted",
  /** After the backup wait, which a freeze may have begun in: read the calendar again right before patching. */
  recheckCalendar: "RecheckChangeCalendar",
  openAfterBackup: "OpenForChangesAfterBackup",
  patch: "PatchInstance",
} as const;

/** The steps before PatchInstance: when one of them fails or times out, the instance is not patched. */
export const STEPS_BEFORE_PATCHING: readonly string[] = [
  InstallSteps.checkCalendar,
  InstallSteps.findRootDevice,
  InstallSteps.findRootVolume,
  InstallSteps.startBackup,
  InstallSteps.waitForBackup,
  InstallSteps.backupCompleted,
  InstallSteps.recheckCalendar,
];

/**
 * The least time the patch command gets in a window whose install task runs the install runbook:
 * less would routinely cut installs and their reboot short.
 */
export const MIN_PATCH_MINUTES = 30;

/** What the time budget of a window's install runbook depends on. */
export interface RunbookWindowTiming {
  readonly cutoffHours: number;
  readonly backupTimeoutMinutes?: number;
}

/**
 * Seconds the install runbook's patch step may run. A maintenance window stops only new Automation
 * task runs at its cutoff; runs already started go on (unlike Run Command invocations, which the
 * cutoff cancels). So a run started at the cutoff must be done by the window's end: every run gets
 * the cutoff's hours, less the longest backup wait. Negative or below MIN_PATCH_MINUTES: the
 * window cannot run the runbook (environments/schema reports it).
 */
export function runbookPatchSeconds(timing: RunbookWindowTiming): number {
  return timing.cutoffHours * 3600 - (timing.backupTimeoutMinutes ?? 0) * 60;
}

/** Tags of every pre-patch backup (AWS Backup copies them to the AMI or snapshot it creates). */
export const BackupTags = {
  /** The instance the backup is of: how `npm run restore` finds an instance's backups (the approval workflow's AMIs carry it too). */
  instanceId: "patchline:instance-id",
  window: "patchline:window",
  /** The maintenance window execution that backed the instance up ("manual" outside a window). */
  windowExecutionId: "patchline:window-execution-id",
  automationExecutionId: "patchline:automation-execution-id",
  /**
   * On a snapshot backup: the root volume it was taken of (the snapshot's own VolumeId). Only such
   * snapshots are restorable roots: an AMI's snapshots carry the instance's tag too (data volumes among them).
   */
  rootVolume: "patchline:root-volume",
} as const;

/** Tags of a replace-root-volume task the restore runbook starts. */
export const RestoreTags = { executionId: "patchline:restore-execution-id", backupId: "patchline:backup-id" } as const;

/** The restore runbook's parameters. */
export const RestoreParameters = { instanceId: "InstanceId", backupId: "BackupId", role: "AutomationAssumeRole" } as const;

/** The window of an install runbook, from its name (`<prefix>-install-<window>`, stacks/naming.ts); the prefix has no "-install-". */
export function windowOfInstallRunbook(runbook: string | undefined): string | undefined {
  return /^[a-z][a-z0-9-]*?-install-(.+)$/.exec(runbook ?? "")?.[1];
}
