import { describe, expect, it } from "vitest";
import { prodWindowDelivery } from "../../../test/support/runbook-delivery.js";
import { runRunbook, type ApiFake } from "../../../test/support/runbook-interpreter.js";
import type { Runbook } from "./automation.js";
import { installRunbook } from "./install-runbook.js";
import { restoreRunbook } from "./restore-runbook.js";

/**
 * The runbooks' logic executed offline, branch by branch (test/support/runbook-interpreter.ts):
 * which calls each path makes, in which order, and where it stops. Every request is checked
 * against AWS's API model. AWS's side (how long a backup takes, what EC2 does to the root volume)
 * is the fake's answers: only a run in an account shows that.
 */

const delivery = prodWindowDelivery;
const command = {
  document: "AWS-RunPatchBaselineWithHooks" as const,
  parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"], PreInstallHookDocName: ["patchline-record-running-services"] },
};
const install = (kind: "ami" | "snapshot" = "ami"): Runbook =>
  installRunbook({
    window: "prod-monthly",
    command,
    delivery,
    patchTimeoutSeconds: 7200,
    calendar: "patchline-change-freezes",
    backup: {
      kind,
      retentionDays: 14,
      timeoutMinutes: 120,
      vault: "patchline-pre-patch",
      roleArn: "arn:aws:iam::400000000002:role/patchline-pre-patch-backup",
    },
  });
const installParameters = {
  AutomationAssumeRole: "arn:aws:iam::400000000002:role/patchline-patch-automation",
  InstanceId: "i-0abc123def4567890",
  WindowExecutionId: "1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f",
  Operation: "Install",
  RebootOption: "RebootIfNeeded",
  PreInstallHookDocName: "patchline-record-running-services",
};

/** A fake AWS: each API answers from its list in turn (the last answer repeats); a function answer may throw. */
function aws(answers: Record<string, readonly unknown[]>): ApiFake {
  const seen = new Map<string, number>();
  return (service, api) => {
    const key = `${service}:${api}`;
    const list = answers[key];
    if (!list) throw new Error(`no fake answer for ${key}`);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const answer = list[Math.min(n, list.length - 1)];
    return typeof answer === "function" ? (answer as () => unknown)() : answer;
  };
}
const open = { "ssm:GetCalendarState": [{ State: "OPEN", AtTime: "2027-01-06T03:00:00Z", NextTransitionTime: "2027-12-18T00:00:00Z" }] };
const backupJob = (...states: string[]) => ({
  "backup:StartBackupJob": [{ BackupJobId: "9f8e7d6c-0000-4000-8000-000000000001", RecoveryPointArn: "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0" }],
  "backup:DescribeBackupJob": states.map((State) => ({ BackupJobId: "9f8e7d6c-0000-4000-8000-000000000001", State })),
});
const commandEnds = (Status: string) => ({ "ssm:SendCommand": [{ CommandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", Status }] });
const apis = (run: ReturnType<typeof runRunbook>) => run.calls.map((c) => `${c.service}:${c.api}`);

describe("the install runbook, per instance", () => {
  it("calendar OPEN: backs up, waits for the job to complete, then patches, in that order", () => {
    const run = runRunbook(install(), installParameters, aws({ ...open, ...backupJob("CREATED", "RUNNING", "COMPLETED"), ...commandEnds("Success") }));
    expect(run.status).toBe("Success");
    expect(run.path).toEqual([
      "CheckChangeCalendar",
      "OpenForChanges",
      "StartPrePatchBackup",
      "WaitForPrePatchBackup",
      "PrePatchBackupCompleted",
      "RecheckChangeCalendar",
      "OpenForChangesAfterBackup",
      "PatchInstance",
    ]);
    expect(apis(run)).toEqual([
      "ssm:GetCalendarState",
      "backup:StartBackupJob",
      "backup:DescribeBackupJob",
      "backup:DescribeBackupJob",
      "backup:DescribeBackupJob",
      "backup:DescribeBackupJob",
      "ssm:GetCalendarState",
      "ssm:SendCommand",
    ]);
    expect(run.calls[1]!.input).toMatchObject({
      BackupVaultName: "patchline-pre-patch",
      ResourceArn: "arn:aws:ec2:us-east-1:400000000002:instance/i-0abc123def4567890",
      IamRoleArn: "arn:aws:iam::400000000002:role/patchline-pre-patch-backup",
      IdempotencyToken: "0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
      Lifecycle: { DeleteAfterDays: 14 },
      RecoveryPointTags: {
        "patchline:instance-id": "i-0abc123def4567890",
        "patchline:window": "prod-monthly",
        "patchline:window-execution-id": "1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f",
        "patchline:automation-execution-id": "0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
      },
    });
    expect(run.calls.at(-1)!.input).toMatchObject({
      DocumentName: "AWS-RunPatchBaselineWithHooks",
      InstanceIds: ["i-0abc123def4567890"],
      Parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"], PreInstallHookDocName: ["patchline-record-running-services"] },
      Comment: "patchline prod-monthly install",
    });
    expect(run.outputs).toMatchObject({ "CheckChangeCalendar.State": "OPEN", "StartPrePatchBackup.BackupJobId": "9f8e7d6c-0000-4000-8000-000000000001" });
  });

  it("calendar CLOSED: ends at the change-freeze step, backs nothing up, patches nothing, and succeeds", () => {
    const run = runRunbook(install(), installParameters, aws({ "ssm:GetCalendarState": [{ State: "CLOSED", NextTransitionTime: "2027-01-04T00:00:00Z" }] }));
    expect(run).toMatchObject({ status: "Success", path: ["CheckChangeCalendar", "OpenForChanges", "SkipPatchingDuringChangeFreeze"] });
    expect(apis(run)).toEqual(["ssm:GetCalendarState"]);
  });

  it("a freeze begins while the backup is awaited: the calendar read again before patching ends the run unpatched, the backup kept", () => {
    const closing = { "ssm:GetCalendarState": [open["ssm:GetCalendarState"][0], { State: "CLOSED", AtTime: "2026-12-18T06:00:00Z" }] };
    const run = runRunbook(install(), installParameters, aws({ ...closing, ...backupJob("RUNNING", "COMPLETED"), ...commandEnds("Success") }));
    expect(run).toMatchObject({ status: "Success" });
    expect(run.path.slice(-3)).toEqual(["RecheckChangeCalendar", "OpenForChangesAfterBackup", "SkipPatchingDuringChangeFreeze"]);
    expect(apis(run)).toContain("backup:StartBackupJob");
    expect(apis(run)).not.toContain("ssm:SendCommand");
  });

  it("the calendar cannot be read: the execution fails before any backup or patch", () => {
    const denied = () => {
      throw Object.assign(new Error("not authorized to perform ssm:GetCalendarState"), { name: "AccessDeniedException" });
    };
    const run = runRunbook(install(), installParameters, aws({ "ssm:GetCalendarState": [denied] }));
    expect(run).toMatchObject({ status: "Failed", failedStep: "CheckChangeCalendar" });
    expect(apis(run)).toEqual(["ssm:GetCalendarState"]);
  });

  it.each([
    ["the job fails", ["RUNNING", "FAILED"], "Failed", "PrePatchBackupCompleted"],
    ["the job is aborted", ["ABORTED"], "Failed", "PrePatchBackupCompleted"],
    ["the job ends PARTIAL", ["RUNNING", "PARTIAL"], "Failed", "PrePatchBackupCompleted"],
    ["the job is still running at the timeout", ["CREATED", "RUNNING"], "TimedOut", "WaitForPrePatchBackup"],
  ])("the backup does not complete (%s): the instance is not patched", (_what, states, status, step) => {
    const run = runRunbook(install(), installParameters, aws({ ...open, ...backupJob(...states), ...commandEnds("Success") }), { maxPolls: 5 });
    expect(run).toMatchObject({ status, failedStep: step });
    expect(apis(run)).not.toContain("ssm:SendCommand");
  });

  it("the backup cannot be started: the execution fails at once, nothing patched", () => {
    const refused = () => {
      throw Object.assign(new Error("Invalid backup vault"), { name: "InvalidParameterValueException" });
    };
    const run = runRunbook(install(), installParameters, aws({ ...open, "backup:StartBackupJob": [refused] }));
    expect(run).toMatchObject({ status: "Failed", failedStep: "StartPrePatchBackup" });
    expect(apis(run)).toEqual(["ssm:GetCalendarState", "backup:StartBackupJob"]);
  });

  it("snapshot: finds the root device and its volume, and backs up that volume", () => {
    const run = runRunbook(
      install("snapshot"),
      installParameters,
      aws({
        ...open,
        "ec2:DescribeInstances": [{ Reservations: [{ Instances: [{ InstanceId: "i-0abc123def4567890", RootDeviceName: "/dev/xvda" }] }] }],
        "ec2:DescribeVolumes": [{ Volumes: [{ VolumeId: "vol-0123456789abcdef0" }] }],
        ...backupJob("COMPLETED"),
        ...commandEnds("Success"),
      }),
    );
    expect(run.status).toBe("Success");
    expect(apis(run).slice(0, 4)).toEqual(["ssm:GetCalendarState", "ec2:DescribeInstances", "ec2:DescribeVolumes", "backup:StartBackupJob"]);
    expect(run.calls[2]!.input).toEqual({
      Filters: [
        { Name: "attachment.instance-id", Values: ["i-0abc123def4567890"] },
        { Name: "attachment.device", Values: ["/dev/xvda"] },
      ],
    });
    expect(run.calls[3]!.input.ResourceArn).toBe("arn:aws:ec2:us-east-1:400000000002:volume/vol-0123456789abcdef0");
    // marks the snapshot as the root volume's: npm run restore takes only such snapshots as roots
    expect(run.calls[3]!.input.RecoveryPointTags).toMatchObject({ "patchline:root-volume": "vol-0123456789abcdef0" });
  });

  it("the patch command fails: the execution fails at PatchInstance (after the backup, which stays)", () => {
    const run = runRunbook(install(), installParameters, aws({ ...open, ...backupJob("COMPLETED"), ...commandEnds("Failed") }));
    expect(run).toMatchObject({ status: "Failed", failedStep: "PatchInstance" });
  });

  it("sends only the window's command: another value of a command parameter is refused before any step runs", () => {
    expect(() => runRunbook(install(), { ...installParameters, RebootOption: "NoReboot" }, aws({}))).toThrow("parameter RebootOption: NoReboot is not allowed");
  });
});

describe("the restore runbook", () => {
  const restore = restoreRunbook();
  const parameters = (BackupId: string) => ({
    AutomationAssumeRole: "arn:aws:iam::400000000002:role/patchline-restore-automation",
    InstanceId: "i-0abc123def4567890",
    BackupId,
  });
  const task = (...states: string[]) => ({
    "ec2:CreateReplaceRootVolumeTask": [{ ReplaceRootVolumeTask: { ReplaceRootVolumeTaskId: "replacevol-0123456789abcdef0", TaskState: "pending" } }],
    "ec2:DescribeReplaceRootVolumeTasks": states.map((TaskState) => ({
      ReplaceRootVolumeTasks: [{ ReplaceRootVolumeTaskId: "replacevol-0123456789abcdef0", TaskState }],
    })),
  });

  it("an AMI: checks it is the instance's and available, replaces the root volume from it, waits until it succeeded", () => {
    const run = runRunbook(
      restore,
      parameters("ami-0123456789abcdef0"),
      aws({ "ec2:DescribeImages": [{ Images: [{ ImageId: "ami-0123456789abcdef0", State: "available" }] }], ...task("pending", "in-progress", "succeeded") }),
    );
    expect(run).toMatchObject({
      status: "Success",
      path: ["ChooseBackupKind", "CheckImage", "ReplaceFromImage", "WaitForImageRestore", "ImageRestoreSucceeded"],
    });
    expect(run.calls[0]!.input).toEqual({
      ImageIds: ["ami-0123456789abcdef0"],
      Owners: ["self"],
      Filters: [{ Name: "tag:patchline:instance-id", Values: ["i-0abc123def4567890"] }],
    });
    expect(run.calls[1]!.input).toEqual({
      InstanceId: "i-0abc123def4567890",
      ImageId: "ami-0123456789abcdef0",
      DeleteReplacedRootVolume: false,
      TagSpecifications: [
        {
          ResourceType: "replace-root-volume-task",
          Tags: [
            { Key: "patchline:restore-execution-id", Value: "0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d" },
            { Key: "patchline:backup-id", Value: "ami-0123456789abcdef0" },
          ],
        },
      ],
    });
    expect(run.outputs).toEqual({ "ReplaceFromImage.TaskId": "replacevol-0123456789abcdef0" });
  });

  it("a snapshot: the snapshot branch, with SnapshotId", () => {
    const run = runRunbook(
      restore,
      parameters("snap-0123456789abcdef0"),
      aws({ "ec2:DescribeSnapshots": [{ Snapshots: [{ SnapshotId: "snap-0123456789abcdef0", State: "completed" }] }], ...task("succeeded") }),
    );
    expect(run).toMatchObject({
      status: "Success",
      path: ["ChooseBackupKind", "CheckSnapshot", "ReplaceFromSnapshot", "WaitForSnapshotRestore", "SnapshotRestoreSucceeded"],
    });
    expect(run.calls[1]!.input).toMatchObject({ InstanceId: "i-0abc123def4567890", SnapshotId: "snap-0123456789abcdef0" });
    expect(run.calls[1]!.input).not.toHaveProperty("ImageId");
  });

  it.each([
    ["not tagged for this instance (EC2 filters it out)", { Images: [] }],
    ["still pending", { Images: [{ ImageId: "ami-0123456789abcdef0", State: "pending" }] }],
  ])("an AMI %s: fails at the check, replaces nothing", (_what, answer) => {
    const run = runRunbook(restore, parameters("ami-0123456789abcdef0"), aws({ "ec2:DescribeImages": [answer] }));
    expect(run).toMatchObject({ status: "Failed", failedStep: "CheckImage" });
    expect(apis(run)).toEqual(["ec2:DescribeImages"]);
  });

  it("EC2 fails the replacement: the execution fails at the success check", () => {
    const run = runRunbook(
      restore,
      parameters("ami-0123456789abcdef0"),
      aws({ "ec2:DescribeImages": [{ Images: [{ State: "available" }] }], ...task("in-progress", "failing", "failed") }),
    );
    expect(run).toMatchObject({ status: "Failed", failedStep: "ImageRestoreSucceeded" });
  });

  it("the replacement does not end in time: timed out", () => {
    const run = runRunbook(
      restore,
      parameters("ami-0123456789abcdef0"),
      aws({ "ec2:DescribeImages": [{ Images: [{ State: "available" }] }], ...task("in-progress") }),
      {
        maxPolls: 3,
      },
    );
    expect(run).toMatchObject({ status: "TimedOut", failedStep: "WaitForImageRestore" });
  });

  it("refuses anything but an instance and an AMI or snapshot id", () => {
    expect(() => runRunbook(restore, parameters("vol-0123456789abcdef0"), aws({}))).toThrow("parameter BackupId: vol-0123456789abcdef0 does not match");
    expect(() => runRunbook(restore, { ...parameters("ami-0123456789abcdef0"), InstanceId: "mi-0123456789abcdef0" }, aws({}))).toThrow("parameter InstanceId");
  });
});
