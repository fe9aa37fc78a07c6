import { SsmMaintenanceWindow } from "@cdktf/provider-aws/lib/ssm-maintenance-window";
import { SsmMaintenanceWindowTarget } from "@cdktf/provider-aws/lib/ssm-maintenance-window-target";
import {
  SsmMaintenanceWindowTask,
  type SsmMaintenanceWindowTaskTaskInvocationParametersRunCommandParametersParameter,
} from "@cdktf/provider-aws/lib/ssm-maintenance-window-task";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { InstallTask, MaintenanceWindow, ScanTask } from "../../environments/schema/index.js";
import { PATCH_POLICY_TAG, PatchPolicy, type PatchGroupTagKey } from "../../contracts/tags.js";
import { windowTaskComment } from "../../contracts/patch-command-comment.js";
import { installCommand } from "../../contracts/patch-command.js";
import { runbookPatchSeconds } from "../../contracts/install-runbook.js";
import { installRunbook, InstallParameters } from "./runbooks/install-runbook.js";
import { runbookDocument } from "./runbooks/regional.js";
import { shiftedSchedule, waveDescription, type WaveLabel } from "../../contracts/wave-schedule.js";

export interface MaintenanceWindowProps {
  readonly window: MaintenanceWindow;
  /** Values of the patch group tag this window scans and patches. */
  readonly patchGroups: readonly string[];
  /** The instance tag holding the patch group (`org.patchGroupTagKey`). */
  readonly patchGroupTagKey: PatchGroupTagKey;
  /** The role the window runs its tasks with and Run Command publishes notifications with. */
  readonly serviceRole: { readonly arn: string };
  /** Central bucket and the key prefix of this account and region; each task writes below `<prefix>/<window>/<task>`. */
  readonly output: { readonly bucketName: string; readonly keyPrefix: string };
  readonly logGroup: { readonly name: string };
  readonly notifications: { readonly topicArn: string; readonly events: readonly string[] };
  /** Hook documents by their configured name. */
  readonly hookDocuments: ReadonlyMap<string, { readonly name: string }>;
  /** URL of the promoted patches the install task installs instead of the baseline's (promotion mode "install-override-list"). */
  readonly installOverrideList?: string;
  /**
   * The install task runs patchline's install runbook instead of the patch document (the
   * environment has freezes, or the window backs up): its name, the role its steps run with, the
   * change calendar and the backup vault and role. @default - a Run Command task
   */
  readonly installAutomation?: {
    readonly runbookName: string;
    readonly roleArn: string;
    readonly calendar?: string;
    readonly backup?: { readonly vault: string; readonly roleArn: string };
  };
  /** The canary wave of the account: its windows run `delayHours` after the configured schedule. @default - no waves */
  readonly wave?: WaveLabel;
  readonly provider: AwsProvider;
}

/** Seconds a patch command may run on one instance before Run Command times it out. */
const COMMAND_TIMEOUT_SECONDS = 3600;

/**
 * One maintenance window: its schedule, a scan target (every managed instance of its patch groups)
 * and an install target (only `patch-policy=patch-on-schedule`), and the scan and install tasks.
 * The scan runs first so compliance is known even when the install runs into the cutoff.
 */
export class PatchMaintenanceWindow extends Construct {
  readonly window: SsmMaintenanceWindow;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: MaintenanceWindowProps,
  ) {
    super(scope, id);
    const { window: config, provider, wave } = props;
    // a wave's windows keep their name (and address) and run later: the delay is in the schedule (contracts/wave-schedule.ts)
    const timing = wave ? shiftedSchedule(config, wave.delayHours) : config;
    this.window = new SsmMaintenanceWindow(this, "Window", {
      provider,
      name: config.name,
      description: wave ? waveDescription(config.description, wave) : config.description,
      schedule: timing.schedule,
      scheduleTimezone: config.timeZone,
      scheduleOffset: timing.scheduleOffsetDays,
      duration: config.durationHours,
      cutoff: config.cutoffHours,
      startDate: timing.startDate,
      endDate: timing.endDate,
      enabled: config.enabled,
      allowUnassociatedTargets: false,
    });
    if (config.scan) this.addScan(config.scan);
    if (config.install) this.addInstall(config.install);
  }

  private addScan(scan: ScanTask): void {
    const target = new SsmMaintenanceWindowTarget(this, "ScanTarget", {
      provider: this.props.provider,
      windowId: this.window.id,
      name: "scan-targets",
      // name and description force a new target in hashicorp/aws: keep them independent of the
      // patch groups, so adding a group updates the target in place instead of replacing it
      description: "Every managed instance of the window's patch groups",
      resourceType: "INSTANCE",
      targets: [{ key: `tag:${this.props.patchGroupTagKey}`, values: [...this.props.patchGroups] }],
    });
    this.addTask("ScanTask", {
      name: "scan",
      priority: 1,
      targetId: target.id,
      rate: scan,
      document: "AWS-RunPatchBaseline",
      parameters: [
        { name: "Operation", values: ["Scan"] },
        { name: "RebootOption", values: ["NoReboot"] },
      ],
    });
  }

  private addInstall(install: InstallTask): void {
    const target = new SsmMaintenanceWindowTarget(this, "InstallTarget", {
      provider: this.props.provider,
      windowId: this.window.id,
      name: "install-targets",
      description: `Instances of the window's patch groups tagged ${PATCH_POLICY_TAG}=${PatchPolicy.ON_SCHEDULE}`,
      resourceType: "INSTANCE",
      targets: [
        { key: `tag:${this.props.patchGroupTagKey}`, values: [...this.props.patchGroups] },
        { key: `tag:${PATCH_POLICY_TAG}`, values: [PatchPolicy.ON_SCHEDULE] },
      ],
    });
    // the approval workflow sends the same command (contracts/patch-command.ts, stacks/member/patch-commands.ts)
    const command = installCommand(install, {
      installOverrideList: this.props.installOverrideList,
      // the task references the document resource, so that Terraform creates the document first
      hookDocumentName: (docName) => {
        const doc = this.props.hookDocuments.get(docName);
        if (!doc) throw new Error(`PatchMaintenanceWindow ${this.props.window.name}: hook document ${docName} was not created in this region`);
        return doc.name;
      },
    });
    const parameters = Object.entries(command.parameters).map(([name, values]) => ({ name, values: [...values] }));
    if (this.props.installAutomation) {
      this.addInstallRunbook(install, target.id, parameters);
      return;
    }
    this.addTask("InstallTask", { name: "install", priority: 2, targetId: target.id, rate: install, document: command.document, parameters });
  }

  /**
   * The install task as an Automation task: the window runs the install runbook once per target
   * instance (same targets and rate control), with the command's parameters as the Run Command
   * task would send them, and the runbook checks the calendar, backs up and patches in that order.
   */
  private addInstallRunbook(
    install: InstallTask,
    targetId: string,
    parameters: SsmMaintenanceWindowTaskTaskInvocationParametersRunCommandParametersParameter[],
  ): void {
    const { props } = this;
    const automation = props.installAutomation!;
    const taskName = "install";
    // the runbook holds the configured hook names (the same names in SSM); the task references the documents
    const command = installCommand(install, { installOverrideList: props.installOverrideList });
    const patchSeconds = runbookPatchSeconds({ cutoffHours: props.window.cutoffHours, backupTimeoutMinutes: install.backup?.timeoutMinutes });
    const runbook = installRunbook({
      window: props.window.name,
      command,
      delivery: {
        comment: windowTaskComment(props.window.name, taskName),
        // an instance offline when the step runs must not get the command after the step's time is up
        deliveryTimeoutSeconds: Math.min(COMMAND_TIMEOUT_SECONDS, patchSeconds),
        outputS3BucketName: props.output.bucketName,
        outputS3KeyPrefix: `${props.output.keyPrefix}/${props.window.name}/${taskName}`,
        logGroupName: props.logGroup.name,
        notification: { topicArn: props.notifications.topicArn, events: props.notifications.events, serviceRoleArn: props.serviceRole.arn },
      },
      patchTimeoutSeconds: patchSeconds,
      ...(automation.calendar ? { calendar: automation.calendar } : {}),
      ...(install.backup && automation.backup ? { backup: { ...install.backup, ...automation.backup } } : {}),
    });
    const document = runbookDocument(this, "InstallRunbook", { name: automation.runbookName, runbook, provider: props.provider });
    new SsmMaintenanceWindowTask(this, "InstallTask", {
      provider: props.provider,
      windowId: this.window.id,
      name: taskName,
      description: `${taskName} with ${automation.runbookName} (${command.document})`,
      taskType: "AUTOMATION",
      taskArn: document.name,
      priority: 2,
      maxConcurrency: install.maxConcurrency,
      maxErrors: install.maxErrors,
      serviceRoleArn: props.serviceRole.arn,
      cutoffBehavior: props.window.cutoffBehavior,
      targets: [{ key: "WindowTargetIds", values: [targetId] }],
      taskInvocationParameters: {
        automationParameters: {
          documentVersion: "$DEFAULT",
          parameter: [
            { name: InstallParameters.role, values: [automation.roleArn] },
            { name: InstallParameters.instanceId, values: ["{{RESOURCE_ID}}"] },
            { name: InstallParameters.windowExecutionId, values: ["{{WINDOW_EXECUTION_ID}}"] },
            ...parameters,
          ],
        },
      },
    });
  }

  private addTask(
    id: string,
    task: {
      name: string;
      priority: number;
      targetId: string;
      rate: { maxConcurrency: string; maxErrors: string };
      document: string;
      parameters: SsmMaintenanceWindowTaskTaskInvocationParametersRunCommandParametersParameter[];
    },
  ): void {
    const { props } = this;
    new SsmMaintenanceWindowTask(this, id, {
      provider: props.provider,
      windowId: this.window.id,
      name: task.name,
      description: `${task.name} with ${task.document}`,
      taskType: "RUN_COMMAND",
      taskArn: task.document,
      priority: task.priority,
      maxConcurrency: task.rate.maxConcurrency,
      maxErrors: task.rate.maxErrors,
      serviceRoleArn: props.serviceRole.arn,
      cutoffBehavior: props.window.cutoffBehavior,
      targets: [{ key: "WindowTargetIds", values: [task.targetId] }],
      taskInvocationParameters: {
        runCommandParameters: {
          comment: windowTaskComment(props.window.name, task.name),
          timeoutSeconds: COMMAND_TIMEOUT_SECONDS,
          outputS3Bucket: props.output.bucketName,
          outputS3KeyPrefix: `${props.output.keyPrefix}/${props.window.name}/${task.name}`,
          cloudwatchConfig: { cloudwatchLogGroupName: props.logGroup.name, cloudwatchOutputEnabled: true },
          notificationConfig: {
            notificationArn: props.notifications.topicArn,
            notificationEvents: [...props.notifications.events],
            notificationType: "Command",
          },
          serviceRoleArn: props.serviceRole.arn,
          parameter: task.parameters,
        },
      },
    });
  }
}
