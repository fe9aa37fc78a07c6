import { BackupTags, RestoreParameters, RestoreTags } from "../../../contracts/install-runbook.js";
import { ref, type Runbook, type RunbookStep } from "./automation.js";

/** How long EC2 may take to replace the root volume (it reboots the instance). */
const RESTORE_TIMEOUT_SECONDS = 3600;
/** Replace-root-volume task states after which nothing changes any more. */
const TASK_DONE = ["succeeded", "failed", "failed-detached"];

/** The backup must be this instance's: tagged with its id, in this account, usable. */
const isTaggedForInstance = [{ Name: `tag:${BackupTags.instanceId}`, Values: [ref(RestoreParameters.instanceId)] }];

/** Check the backup, replace the root volume from it, wait, and fail unless EC2 says it succeeded. */
function restoreFrom(kind: "Image" | "Snapshot"): RunbookStep[] {
  const replace = `ReplaceFrom${kind}`;
  const task = {
    Service: "ec2",
    Api: "DescribeReplaceRootVolumeTasks",
    ReplaceRootVolumeTaskIds: [ref(`${replace}.TaskId`)],
    PropertySelector: "$.ReplaceRootVolumeTasks[0].TaskState",
  };
  const check =
    kind === "Image"
      ? {
          Service: "ec2",
          Api: "DescribeImages",
          ImageIds: [ref(RestoreParameters.backupId)],
          Owners: ["self"],
          Filters: isTaggedForInstance,
          PropertySelector: "$.Images[0].State",
          DesiredValues: ["available"],
        }
      : {
          Service: "ec2",
          Api: "DescribeSnapshots",
          SnapshotIds: [ref(RestoreParameters.backupId)],
          OwnerIds: ["self"],
          Filters: isTaggedForInstance,
          PropertySelector: "$.Snapshots[0].State",
          DesiredValues: ["completed"],
        };
  return [
    {
      name: `Check${kind}`,
      action: "aws:assertAwsResourceProperty",
      description: `The ${kind.toLowerCase()} is this instance's backup and usable`,
      inputs: check,
    },
    {
      name: replace,
      action: "aws:executeAwsApi",
      inputs: {
        Service: "ec2",
        Api: "CreateReplaceRootVolumeTask",
        InstanceId: ref(RestoreParameters.instanceId),
        [kind === "Image" ? "ImageId" : "SnapshotId"]: ref(RestoreParameters.backupId),
        // the patched root volume stays, detached, for a look at what went wrong (delete it afterwards)
        DeleteReplacedRootVolume: false,
        TagSpecifications: [
          {
            ResourceType: "replace-root-volume-task",
            Tags: [
              { Key: RestoreTags.executionId, Value: ref("automation:EXECUTION_ID") },
              { Key: RestoreTags.backupId, Value: ref(RestoreParameters.backupId) },
            ],
          },
        ],
      },
      outputs: [{ Name: "TaskId", Selector: "$.ReplaceRootVolumeTask.ReplaceRootVolumeTaskId", Type: "String" }],
    },
    {
      name: `WaitFor${kind}Restore`,
      action: "aws:waitForAwsResourceProperty",
      timeoutSeconds: RESTORE_TIMEOUT_SECONDS,
      inputs: { ...task, DesiredValues: TASK_DONE },
    },
    { name: `${kind}RestoreSucceeded`, action: "aws:assertAwsResourceProperty", inputs: { ...task, DesiredValues: ["succeeded"] }, isEnd: true },
  ];
}

/**
 * Puts a running instance back on a pre-patch backup: EC2's replace-root-volume task from the
 * backup AMI (its root snapshot) or the root-volume snapshot. Only the root volume is replaced:
 * data volumes, instance store, network interfaces and the instance's IAM profile stay as they are
 * (an AMI's data-volume snapshots are restored by hand, docs/safety-nets.md#restore). The backup
 * must carry the instance's `patchline:instance-id` tag; `npm run restore` finds the newest.
 */
export function restoreRunbook(): Runbook {
  return {
    schemaVersion: "0.3",
    description: "patchline: replaces the root volume of an instance with the one of its pre-patch backup (AMI or root-volume snapshot)",
    assumeRole: ref(RestoreParameters.role),
    parameters: {
      [RestoreParameters.role]: {
        type: "String",
        description: "The role the steps run with (patchline's restore automation role)",
        allowedPattern: "^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$",
      },
      [RestoreParameters.instanceId]: { type: "String", description: "The instance to restore (it must be running)", allowedPattern: "^i-[0-9a-f]{8,17}$" },
      [RestoreParameters.backupId]: {
        type: "String",
        description: "The backup: an AMI (ami-…) or a root-volume snapshot (snap-…) tagged with the instance's id",
        allowedPattern: "^(ami|snap)-[0-9a-f]{8,17}$",
      },
    },
    mainSteps: [
      {
        name: "ChooseBackupKind",
        action: "aws:branch",
        inputs: {
          Choices: [
            { NextStep: "CheckImage", Variable: ref(RestoreParameters.backupId), StartsWith: "ami-" },
            { NextStep: "CheckSnapshot", Variable: ref(RestoreParameters.backupId), StartsWith: "snap-" },
          ],
        },
      },
      ...restoreFrom("Image"),
      ...restoreFrom("Snapshot"),
    ],
    outputs: ["ReplaceFromImage.TaskId", "ReplaceFromSnapshot.TaskId"],
  };
}
