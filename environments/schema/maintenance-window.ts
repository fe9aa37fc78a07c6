import { z } from "zod";
import { COMMAND_COMMENT_MAX_CHARS, windowTaskComment } from "../../contracts/patch-command-comment.js";
import { show } from "./messages.js";
import { integerIn, isoTimestamp, maxConcurrency, maxErrors, schedule, ssmDocumentName, ssmResourceName, timeZone } from "./primitives.js";

export const patchDocuments = ["AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks"] as const;
export const rebootOptions = ["RebootIfNeeded", "NoReboot"] as const;

const rateControl = {
  /** How many instances run the task at once: a count or a percentage. */
  maxConcurrency,
  /** How many failed instances stop the task: a count or a percentage. */
  maxErrors,
};

/** The scan task: every managed instance of the window's patch groups reports its compliance. */
export const scanTaskSchema = z.strictObject({
  ...rateControl,
});

export const backupKinds = ["ami", "snapshot"] as const;

/** The backup wait when none is given: fits a window with a 1 h cutoff beside the patch command's 30 minutes. */
export const DEFAULT_BACKUP_TIMEOUT_MINUTES = 30;

/**
 * A backup of each instance before the window patches it (AWS Backup, on demand, deleted by AWS
 * Backup after `retentionDays`): an instance is patched only after its backup completed.
 */
export const installBackupSchema = z.strictObject({
  /** "ami": an image of the instance with all its EBS volumes; "snapshot": a snapshot of its root volume only. */
  kind: z.enum(backupKinds),
  /** Days AWS Backup keeps the backup before it deletes it. @default 14 */
  retentionDays: integerIn(1, 3650, "a retention in days").default(14),
  /**
   * Longest wait for the backup to complete (AWS Backup may take a while to start it); after it the
   * instance is not patched. It and the patch command share the window's cutoff (see
   * docs/safety-nets.md, "Timing"). @default 30
   */
  timeoutMinutes: integerIn(10, 1440, "a timeout in minutes").default(DEFAULT_BACKUP_TIMEOUT_MINUTES),
});

/** The install task: only instances tagged `patch-policy=patch-on-schedule` are patched. */
export const installTaskSchema = z.strictObject({
  ...rateControl,
  /** The patch document; AWS-RunPatchBaselineWithHooks runs `hooks`. @default "AWS-RunPatchBaseline" */
  document: z.enum(patchDocuments).default("AWS-RunPatchBaseline"),
  /** Whether the install may reboot an instance. @default "RebootIfNeeded" */
  rebootOption: z.enum(rebootOptions).default("RebootIfNeeded"),
  /** Hook documents (names from `org.hookDocuments`); only with AWS-RunPatchBaselineWithHooks. */
  hooks: z
    .strictObject({
      /** Runs before patches are installed; its failure stops the install. */
      preInstall: ssmDocumentName.optional(),
      /** Runs after the install, and after the reboot if there is one. */
      postInstall: ssmDocumentName.optional(),
      /** Runs last, whatever happened. */
      onExit: ssmDocumentName.optional(),
    })
    .optional(),
  /**
   * Back each instance up before patching it: the install task then runs patchline's install
   * runbook (backup, wait, patch) instead of the patch document. @default - no backup
   */
  backup: installBackupSchema.optional(),
});

/**
 * Patch commands carry `patchline <window> <task>` as their Run Command comment (how failure
 * notifications name the window), and SSM allows 100 characters there.
 */
const windowName = ssmResourceName.refine((name) => windowTaskComment(name, "install").length <= COMMAND_COMMENT_MAX_CHARS, {
  // a name SSM rejects is reported as that, once
  when: (payload) => payload.issues.length === 0,
  error: (i) =>
    `${show(i.input)} is ${String(i.input).length} characters; at most ${COMMAND_COMMENT_MAX_CHARS - windowTaskComment("", "install").length} fit the patch commands' comment ("patchline <window> <task>", which SSM limits to ${COMMAND_COMMENT_MAX_CHARS} characters)`,
});

export const maintenanceWindowSchema = z.strictObject({
  /** Window name; also the value of the `Maintenance Window` tag on the instances it patches. */
  name: windowName,
  /** The window's description in SSM. */
  description: z.string().min(1).max(128).optional(),
  /** `cron(...)` with six fields (AWS syntax: `?`, `L`, `W`, `#`) or `rate(...)`. */
  schedule,
  /** IANA time zone the cron expression is evaluated in. */
  timeZone,
  /** How long the window stays open. */
  durationHours: integerIn(1, 24, "a duration in hours"),
  /** No new task starts in the last `cutoffHours` of the window. */
  cutoffHours: integerIn(0, 23, "a cutoff in hours"),
  /** Days to wait after the cron date (e.g. Patch Tuesday + 2); cron schedules only. */
  scheduleOffsetDays: integerIn(1, 6, "a schedule offset in days").optional(),
  /** The window is active from this time on (ISO 8601 with offset). */
  startDate: isoTimestamp.optional(),
  /** The window is inactive after this time (ISO 8601 with offset). */
  endDate: isoTimestamp.optional(),
  /** false keeps the window but runs nothing. @default true */
  enabled: z.boolean().default(true),
  /** What a running task does at the cutoff. @default "CANCEL_TASK" */
  cutoffBehavior: z.enum(["CONTINUE_TASK", "CANCEL_TASK"]).default("CANCEL_TASK"),
  /** The scan task: every managed instance of the window's patch groups reports its compliance. */
  scan: scanTaskSchema.optional(),
  /** The install task: instances tagged `patch-policy=patch-on-schedule` are patched. */
  install: installTaskSchema.optional(),
});

export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;
export type InstallTask = z.output<typeof installTaskSchema>;
export type ScanTask = z.output<typeof scanTaskSchema>;
export type InstallBackup = z.output<typeof installBackupSchema>;
