import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetAutomationExecutionCommand, SSMClient, StartAutomationExecutionCommand } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { requestProblems } from "../../test/support/api-model.js";
import { exampleWith } from "../../test/support/config.js";
import { restoreCommand } from "./command.js";

const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const INSTANCE = "i-0abc123def4567890";
const EXECUTION = "5d6e7f80-0000-4000-8000-000000000042";

beforeEach(() => {
  ec2.reset();
  ssm.reset();
  ec2.on(DescribeImagesCommand).resolves({
    Images: [
      {
        ImageId: "ami-0000000000000aaaa",
        State: "available",
        CreationDate: "2026-11-04T03:10:00.000Z",
        Tags: [{ Key: "patchline:window", Value: "prod-monthly" }],
      },
      {
        ImageId: "ami-0000000000000bbbb",
        State: "available",
        CreationDate: "2026-12-03T03:12:00.000Z",
        Tags: [
          { Key: "patchline:window", Value: "prod-monthly" },
          { Key: "patchline:window-execution-id", Value: "1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f" },
        ],
      },
      { ImageId: "ami-0000000000000cccc", State: "pending", CreationDate: "2026-12-03T04:00:00.000Z" },
    ],
  });
  ec2.on(DescribeSnapshotsCommand).resolves({
    Snapshots: [
      {
        SnapshotId: "snap-0000000000000dddd",
        VolumeId: "vol-000000000000000b1",
        State: "completed",
        StartTime: new Date("2026-10-01T00:00:00Z"),
        Tags: [{ Key: "patchline:root-volume", Value: "vol-000000000000000b1" }],
      },
    ],
  });
  ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: EXECUTION });
  ssm
    .on(GetAutomationExecutionCommand)
    .resolvesOnce({ AutomationExecution: { AutomationExecutionStatus: "InProgress" } })
    .resolves({ AutomationExecution: { AutomationExecutionStatus: "Success" } });
});

async function run(argv: string[], input: OrgConfigInput = exampleWith(() => undefined)) {
  const out: string[] = [];
  const err: string[] = [];
  const assumed: string[] = [];
  const sleeps: number[] = [];
  const code = await restoreCommand(argv, {
    io: { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date("2026-12-05T09:00:00Z") },
    input,
    assume: async (roleArn, region, session) => {
      assumed.push(`${roleArn} ${region} ${session}`);
      return { ec2: new EC2Client({ region }), ssm: new SSMClient({ region }) };
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { code, out: out.join("\n"), err: err.join("\n"), assumed, sleeps };
}

const target = ["--account", "400000000002", "--region", "eu-west-1", "--instance", INSTANCE];

/** Every request the mocks received, checked against AWS's API models. */
function requestsAwsAccepts() {
  const calls = [
    ...ec2.calls().map((c) => ["ec2", (c.args[0] as { constructor: { name: string } }).constructor.name, c.args[0].input] as const),
    ...ssm.calls().map((c) => ["ssm", (c.args[0] as { constructor: { name: string } }).constructor.name, c.args[0].input] as const),
  ];
  return calls.flatMap(([service, command, input]) => requestProblems(service, command.replace(/Command$/, ""), input).map((p) => `${command}: ${p}`));
}

describe("npm run restore", () => {
  it("assumes the restore operator role, restores from the newest usable backup, and follows the restore until it succeeded", async () => {
    const result = await run(target);
    expect(result.code).toBe(0);
    expect(result.assumed).toEqual([`arn:aws:iam::400000000002:role/patchline-restore-operator eu-west-1 patchline-restore-${INSTANCE}`]);
    expect(ec2.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toEqual({
      Owners: ["self"],
      Filters: [{ Name: "tag:patchline:instance-id", Values: [INSTANCE] }],
      MaxResults: 100,
    });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)[0]!.args[0].input).toEqual({
      DocumentName: "patchline-restore-instance",
      Parameters: {
        AutomationAssumeRole: ["arn:aws:iam::400000000002:role/patchline-restore-automation"],
        InstanceId: [INSTANCE],
        BackupId: ["ami-0000000000000bbbb"],
      },
    });
    expect(result.out).toContain(
      `Restore ${INSTANCE} in prod/web-prod (400000000002, eu-west-1) from ami-0000000000000bbbb (AMI, 2026-12-03T03:12:00.000Z, window prod-monthly, window execution 1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f), its newest usable backup.`,
    );
    expect(result.out).toContain(`Restored: the root volume was replaced (${EXECUTION})`);
    expect(result.sleeps).toEqual([15_000]);
    expect(requestsAwsAccepts()).toEqual([]);
  });

  it("--dry-run shows the backup and starts nothing", async () => {
    const result = await run([...target, "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("--dry-run: nothing started (patchline-restore-instance with role patchline-restore-automation would run).");
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toEqual([]);
  });

  it("--backup restores that backup of the instance (a snapshot too), --detach does not wait", async () => {
    const result = await run([...target, "--backup", "snap-0000000000000dddd", "--detach"]);
    expect(result.code).toBe(0);
    expect(ssm.commandCalls(StartAutomationExecutionCommand)[0]!.args[0].input.Parameters!.BackupId).toEqual(["snap-0000000000000dddd"]);
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toEqual([]);
  });

  it("refuses a backup that is not the instance's, or not usable yet", async () => {
    const other = await run([...target, "--backup", "ami-0000000000000eeee"]);
    expect(other.code).toBe(1);
    expect(other.err).toContain(
      "--backup: ami-0000000000000eeee is not a backup of the instance (tagged patchline:instance-id); its backups: ami-0000000000000cccc",
    );
    const pending = await run([...target, "--backup", "ami-0000000000000cccc"]);
    expect(pending.err).toBe(
      "--backup: ami-0000000000000cccc (AMI, 2026-12-03T04:00:00.000Z, pending) is not usable: pending (an AMI must be available; a snapshot completed and marked as the root volume's by the install runbook)",
    );
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toEqual([]);
  });

  it("an AMI's own snapshots are not backups, and a snapshot not marked as the root volume's is not restorable", async () => {
    // the approval workflow's AMI of two volumes: CreateImage tags both snapshots with the instance, and they are newer than the AMI
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        {
          ImageId: "ami-000000000000000a0",
          State: "available",
          CreationDate: "2026-12-04T03:00:00.000Z",
          BlockDeviceMappings: [
            { DeviceName: "/dev/xvda", Ebs: { SnapshotId: "snap-000000000000000a1" } },
            { DeviceName: "/dev/sdf", Ebs: { SnapshotId: "snap-000000000000000a2" } },
          ],
        },
      ],
    });
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        { SnapshotId: "snap-000000000000000a1", VolumeId: "vol-000000000000000b1", State: "completed", StartTime: new Date("2026-12-04T03:05:00Z") },
        { SnapshotId: "snap-000000000000000a2", VolumeId: "vol-000000000000000b2", State: "completed", StartTime: new Date("2026-12-04T03:06:00Z") },
        // tagged with the instance by someone else (AWS Backup copying tags): which volume it is of is unknown
        { SnapshotId: "snap-000000000000000a3", VolumeId: "vol-000000000000000b2", State: "completed", StartTime: new Date("2026-12-04T04:00:00Z") },
      ],
    });
    const newest = await run([...target, "--detach"]);
    expect(newest.code).toBe(0);
    expect(ssm.commandCalls(StartAutomationExecutionCommand)[0]!.args[0].input.Parameters!.BackupId).toEqual(["ami-000000000000000a0"]);
    ssm.resetHistory();
    const ofImage = await run([...target, "--backup", "snap-000000000000000a2"]);
    expect(ofImage.err).toMatch(/^--backup: snap-000000000000000a2 is not a backup of the instance/);
    const unmarked = await run([...target, "--backup", "snap-000000000000000a3"]);
    expect(unmarked.err).toBe(
      "--backup: snap-000000000000000a3 (snapshot, 2026-12-04T04:00:00.000Z, not marked as the root volume's (patchline:root-volume)) is not usable: not marked as the root volume's (patchline:root-volume) (an AMI must be available; a snapshot completed and marked as the root volume's by the install runbook)",
    );
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toEqual([]);
    expect(requestsAwsAccepts()).toEqual([]);
  });

  it("no backup of the instance: exit 1, nothing started", async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const result = await run(target);
    expect(result).toMatchObject({ code: 1, err: "no usable backup of the instance (tagged patchline:instance-id); found: none" });
  });

  it("a restore that fails: exit 1 with Automation's reason", async () => {
    ssm
      .on(GetAutomationExecutionCommand)
      .resolves({ AutomationExecution: { AutomationExecutionStatus: "Failed", FailureMessage: "Step fails when it is Asserting" } });
    const result = await run(target);
    expect(result.code).toBe(1);
    expect(result.err).toBe(`The restore ended Failed: Step fails when it is Asserting (${EXECUTION})`);
  });

  it("bad flags, and accounts the configuration cannot restore in: exit 2 with what is wrong, nothing assumed", async () => {
    const bad = await run(["--account", "42", "--instance", "web-1", "--backup", "vol-1"]);
    expect(bad.code).toBe(2);
    expect(bad.err.split("\n").slice(0, 4)).toEqual([
      '--account: "42" is not a 12-digit account id',
      "--region is required",
      '--instance: "web-1" is not an EC2 instance id (i-…)',
      '--backup: "vol-1" is not an AMI (ami-…) or snapshot (snap-…) id',
    ]);
    expect((await run(["--account", "499999999999", "--region", "eu-west-1", "--instance", INSTANCE])).err).toBe(
      "--account: 499999999999 is an account of no environment",
    );
    expect((await run(["--account", "400000000002", "--region", "ap-south-1", "--instance", INSTANCE])).err).toBe(
      "--region: ap-south-1 is not a region of prod/web-prod (its regions: us-east-1, eu-west-1)",
    );
    expect((await run(["--account", "200000000002", "--region", "us-east-1", "--instance", INSTANCE])).err).toBe(
      "dev backs nothing up (no maintenanceWindows[].install.backup), so its accounts have no restore runbook",
    );
    const noOperators = await run(
      target,
      exampleWith((d) => (d.org.restoreOperatorRoleArns = [])),
    );
    expect(noOperators).toMatchObject({
      code: 2,
      err: "org.restoreOperatorRoleArns is empty: no restore operator role exists in the member accounts to restore with",
    });
    expect(noOperators.assumed).toEqual([]);
  });
});
