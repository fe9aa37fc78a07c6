import type { PatchCommand } from "../../../contracts/patch-command.js";
import { BackupTags, InstallSteps } from "../../../contracts/install-runbook.js";
import type { InstallBackup } from "../../../environments/schema/index.js";
import { ASSUME_ROLE_PARAMETER, ref, type Runbook, type RunbookParameter, type RunbookStep } from "./automation.js";

/** Where the window's Run Command task writes output and status: the install runbook sends the command the same way. */
export interface CommandDelivery {
  /** `patchline <window> install`: failure notifications read the window from it. */
  readonly comment: string;
  /** Seconds SSM may take to deliver the command (the Run Command task's TimeoutSeconds). */
  readonly deliveryTimeoutSeconds: number;
  readonly outputS3BucketName: string;
  readonly outputS3KeyPrefix: string;
  readonly logGroupName: string;
  readonly notification: { readonly topicArn: string; readonly events: readonly string[]; readonly serviceRoleArn: string };
}

export interface InstallRunbookProps {
  readonly window: string;
  /** The window's install command (windowInstallCommand): document and parameters, with the configured hook names. */
  readonly command: PatchCommand;
  readonly delivery: CommandDelivery;
  /** How long the patch step may take on one instance: the window's cutoff less the backup wait (runbookPatchSeconds). */
  readonly patchTimeoutSeconds: number;
  /** The Change Calendar of the environment's freezes; none: no calendar step. */
  readonly calendar?: string;
  /** The pre-patch backup; none: no backup steps. */
  readonly backup?: InstallBackup & { readonly vault: string; readonly roleArn: string };
}

/** The runbook parameters the window task passes besides the command's own. */
export const InstallParameters = { role: ASSUME_ROLE_PARAMETER, instanceId: "InstanceId", windowExecutionId: "WindowExecutionId" } as const;

/** AWS Backup starts an on-demand job within this many minutes, or cancels it (its minimum). */
const BACKUP_START_WINDOW_MINUTES = 60;
/** Attempts of the steps that are safe to retry (a read; a backup job started with an idempotency token). */
const STEP_ATTEMPTS = 3;
/** Backup job states after which nothing changes any more. */
const BACKUP_DONE = ["COMPLETED", "FAILED", "ABORTED", "EXPIRED", "PARTIAL"];

const instanceArn = `arn:${ref("global:AWS_PARTITION")}:ec2:${ref("global:REGION")}:${ref("global:ACCOUNT_ID")}:instance/${ref(InstallParameters.instanceId)}`;
const volumeArn = `arn:${ref("global:AWS_PARTITION")}:ec2:${ref("global:REGION")}:${ref("global:ACCOUNT_ID")}:volume/${ref(`${InstallSteps.findRootVolume}.VolumeId`)}`;

/** ssm:GetCalendarState as step `read`; OPEN goes on to `next`, anything else ends at the change-freeze step. */
function calendarCheck(calendar: string, read: string, branch: string, next: string): RunbookStep[] {
  return [
    {
      name: read,
      action: "aws:executeAwsApi",
      description: "Reads the change calendar of the environment's freezes",
      inputs: { Service: "ssm", Api: "GetCalendarState", CalendarNames: [calendar] },
      // only State, which every response has: NextTransitionTime is absent when no event lies
      // ahead (after the last freeze), and an output whose selector matches nothing may fail the step
      outputs: [{ Name: "State", Selector: "$.State", Type: "String" }],
      // a read: retrying a throttled or failed call changes nothing
      maxAttempts: STEP_ATTEMPTS,
      nextStep: branch,
    },
    {
      name: branch,
      action: "aws:branch",
      inputs: { Choices: [{ NextStep: next, Variable: ref(`${read}.State`), StringEquals: "OPEN" }], Default: InstallSteps.changeFreeze },
    },
  ];
}

/** Where a closed calendar ends the execution, from either check: nothing is patched in this run. */
const changeFreezeStep: RunbookStep = {
  // the step event of this step (forwarded to the central bus) is how the skip reaches the failure channels
  name: InstallSteps.changeFreeze,
  action: "aws:sleep",
  description: "A change freeze is in effect: the instance is not patched in this run",
  inputs: { Duration: "PT1S" },
  isEnd: true,
};

/** The snapshot kind backs up the root volume: its id is found by the instance's root device name. */
function rootVolumeSteps(): RunbookStep[] {
  return [
    {
      name: InstallSteps.findRootDevice,
      action: "aws:executeAwsApi",
      inputs: { Service: "ec2", Api: "DescribeInstances", InstanceIds: [ref(InstallParameters.instanceId)] },
      outputs: [{ Name: "RootDeviceName", Selector: "$.Reservations[0].Instances[0].RootDeviceName", Type: "String" }],
    },
    {
      name: InstallSteps.findRootVolume,
      action: "aws:executeAwsApi",
      inputs: {
        Service: "ec2",
        Api: "DescribeVolumes",
        Filters: [
          { Name: "attachment.instance-id", Values: [ref(InstallParameters.instanceId)] },
          { Name: "attachment.device", Values: [ref(`${InstallSteps.findRootDevice}.RootDeviceName`)] },
        ],
      },
      outputs: [{ Name: "VolumeId", Selector: "$.Volumes[0].VolumeId", Type: "String" }],
    },
  ];
}

/**
 * An on-demand AWS Backup job with a lifecycle (AWS Backup deletes the backup after
 * `retentionDays`), tagged with the window run; waits until it is done within `timeoutMinutes`
 * and fails unless it COMPLETED: a failed step aborts the execution, so nothing is patched.
 */
function backupSteps(window: string, backup: NonNullable<InstallRunbookProps["backup"]>): RunbookStep[] {
  const job = { Service: "backup", Api: "DescribeBackupJob", BackupJobId: ref(`${InstallSteps.startBackup}.BackupJobId`), PropertySelector: "$.State" };
  return [
    ...(backup.kind === "snapshot" ? rootVolumeSteps() : []),
    {
      name: InstallSteps.startBackup,
      action: "aws:executeAwsApi",
      description: backup.kind === "ami" ? "Backs up the instance (an AMI of all its EBS volumes)" : "Backs up the instance's root volume (an EBS snapshot)",
      inputs: {
        Service: "backup",
        Api: "StartBackupJob",
        BackupVaultName: backup.vault,
        ResourceArn: backup.kind === "ami" ? instanceArn : volumeArn,
        IamRoleArn: backup.roleArn,
        // the execution's id: a retried attempt (maxAttempts) gets the job the first one started instead of a second backup
        IdempotencyToken: ref("automation:EXECUTION_ID"),
        StartWindowMinutes: BACKUP_START_WINDOW_MINUTES,
        // the runbook's wait is the deadline; AWS Backup's own completion window only has to outlast it and the start window
        CompleteWindowMinutes: BACKUP_START_WINDOW_MINUTES + backup.timeoutMinutes,
        Lifecycle: { DeleteAfterDays: backup.retentionDays },
        RecoveryPointTags: {
          [BackupTags.instanceId]: ref(InstallParameters.instanceId),
          [BackupTags.window]: window,
          [BackupTags.windowExecutionId]: ref(InstallParameters.windowExecutionId),
          [BackupTags.automationExecutionId]: ref("automation:EXECUTION_ID"),
          ...(backup.kind === "snapshot" ? { [BackupTags.rootVolume]: ref(`${InstallSteps.findRootVolume}.VolumeId`) } : {}),
        },
      },
      outputs: [{ Name: "BackupJobId", Selector: "$.BackupJobId", Type: "String" }],
      maxAttempts: STEP_ATTEMPTS,
    },
    {
      name: InstallSteps.waitForBackup,
      action: "aws:waitForAwsResourceProperty",
      timeoutSeconds: backup.timeoutMinutes * 60,
      inputs: { ...job, DesiredValues: BACKUP_DONE },
    },
    { name: InstallSteps.backupCompleted, action: "aws:assertAwsResourceProperty", inputs: { ...job, DesiredValues: ["COMPLETED"] } },
  ];
}

/** The window's command, sent as its Run Command task sends it: same document, parameters, comment, output and notifications. */
function patchStep(props: InstallRunbookProps): RunbookStep {
  const { delivery, command } = props;
  return {
    name: InstallSteps.patch,
    action: "aws:runCommand",
    timeoutSeconds: props.patchTimeoutSeconds,
    inputs: {
      DocumentName: command.document,
      InstanceIds: [ref(InstallParameters.instanceId)],
      Parameters: Object.fromEntries(Object.keys(command.parameters).map((name) => [name, [ref(name)]])),
      Comment: delivery.comment,
      TimeoutSeconds: delivery.deliveryTimeoutSeconds,
      OutputS3BucketName: delivery.outputS3BucketName,
      OutputS3KeyPrefix: delivery.outputS3KeyPrefix,
      CloudWatchOutputConfig: { CloudWatchLogGroupName: delivery.logGroupName, CloudWatchOutputEnabled: true },
      NotificationConfig: {
        NotificationArn: delivery.notification.topicArn,
        NotificationEvents: [...delivery.notification.events],
        NotificationType: "Command",
      },
      ServiceRoleArn: delivery.notification.serviceRoleArn,
    },
    isEnd: true,
  };
}

/**
 * The install runbook of one window, run once per target instance by the window's install task
 * (AUTOMATION, same targets and rate control): the change calendar (when the environment has
 * freezes: CLOSED ends without patching), the backup (when the window has one: patching only after
 * it completed), then the window's patch command. Steps run one after the other within one
 * execution, which is what orders backup and patch per instance.
 */
export function installRunbook(props: InstallRunbookProps): Runbook {
  const { command } = props;
  const patch = patchStep(props);
  const backup = props.backup ? backupSteps(props.window, props.backup) : [];
  // a freeze may begin while the backup is awaited: the calendar is read again right before patching
  const calendar = props.calendar
    ? [
        ...calendarCheck(props.calendar, InstallSteps.checkCalendar, InstallSteps.openForChanges, backup[0]?.name ?? patch.name),
        ...(backup.length > 0 ? [] : [changeFreezeStep]),
      ]
    : [];
  const recheck =
    props.calendar && backup.length > 0
      ? [...calendarCheck(props.calendar, InstallSteps.recheckCalendar, InstallSteps.openAfterBackup, patch.name), changeFreezeStep]
      : [];
  // the command's parameters, each allowed only its configured value: the runbook sends nothing else
  const commandParameters: Record<string, RunbookParameter> = Object.fromEntries(
    Object.entries(command.parameters).map(([name, values]) => {
      // a String parameter holds one value: the window task would pass a list SSM rejects against allowedValues
      if (values.length !== 1)
        throw new Error(`install runbook of window ${props.window}: parameter ${name} has ${values.length} values; the runbook passes one`);
      return [
        name,
        { type: "String", description: `${command.document} parameter ${name}, as the window's install task sends it`, allowedValues: [values[0]!] },
      ];
    }),
  );
  return {
    schemaVersion: "0.3",
    description: `patchline: ${[props.calendar && "checks the change calendar", props.backup && `backs up (${props.backup.kind})`, `patches with ${command.document}`].filter(Boolean).join(", then ")}; window ${props.window}`,
    assumeRole: ref(InstallParameters.role),
    parameters: {
      [InstallParameters.role]: {
        type: "String",
        description: "The role the steps run with (patchline's patch automation role)",
        allowedPattern: "^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$",
      },
      [InstallParameters.instanceId]: {
        type: "String",
        description: "The instance to patch (the window passes {{RESOURCE_ID}})",
        allowedPattern: "^(i|mi)-[0-9a-f]{8,17}$",
      },
      [InstallParameters.windowExecutionId]: {
        type: "String",
        description: "The maintenance window execution (the window passes {{WINDOW_EXECUTION_ID}}); tags the backup",
        default: "manual",
        allowedPattern: "^[a-zA-Z0-9-]{1,36}$",
      },
      ...commandParameters,
    },
    mainSteps: [...calendar, ...backup, ...recheck, patch],
    outputs: [
      ...(props.calendar ? [`${InstallSteps.checkCalendar}.State`] : []),
      ...(recheck.length > 0 ? [`${InstallSteps.recheckCalendar}.State`] : []),
      ...(props.backup ? [`${InstallSteps.startBackup}.BackupJobId`] : []),
      `${InstallSteps.patch}.CommandId`,
      `${InstallSteps.patch}.Status`,
    ],
  };
}
