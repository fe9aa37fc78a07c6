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
    const { window: config, provider } = props;
    this.window = new SsmMaintenanceWindow(this, "Window", {
      provider,
      name: config.name,
      description: config.description,
      schedule: config.schedule,
      scheduleTimezone: config.timeZone,
      scheduleOffset: config.scheduleOffsetDays,
      duration: config.durationHours,
      cutoff: config.cutoffHours,
      startDate: config.startDate,
      endDate: config.endDate,
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
    this.addTask("InstallTask", { name: "install", priority: 2, targetId: target.id, rate: install, document: command.document, parameters });
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
