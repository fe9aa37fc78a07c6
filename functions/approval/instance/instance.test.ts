import { CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client, type Image } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { recordingLog } from "../../../test/support/approval-fakes.js";
import { checkBackup, createBackup, lookUp, type InstanceDeps } from "./instance.js";

const ec2 = mockClient(EC2Client);
const target = { account: "400000000002", region: "eu-west-1", instanceId: "i-0abc123def4567890" };
const clock = new Date("2027-03-04T08:00:00.000Z");
const regions: string[] = [];

const deps: InstanceDeps = {
  ec2: (_account, region) => {
    regions.push(region);
    return new EC2Client({ region });
  },
  ownerTagKey: "Owner",
  now: () => clock,
  log: recordingLog(),
};

const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, $metadata: {}, ...extra });
const instance = (tags: { Key: string; Value: string }[], state: "running" | "terminated" = "running") => ({
  Reservations: [{ Instances: [{ InstanceId: target.instanceId, State: { Name: state }, Tags: tags, PlatformDetails: "Linux/UNIX" }] }],
});

beforeEach(() => {
  ec2.reset();
  regions.length = 0;
});

describe("lookUp", () => {
  it("reports the approval tag, the Name and the configured owner tag, calling the instance's region", async () => {
    ec2.on(DescribeInstancesCommand, { InstanceIds: [target.instanceId] }).resolves(
      instance([
        { Key: "patch-policy", Value: "patch-on-approval" },
        { Key: "Name", Value: "web-1" },
        { Key: "Owner", Value: "alice@example.com" },
      ]),
    );
    await expect(lookUp({ action: "lookUp", ...target }, deps)).resolves.toEqual({
      tagged: true,
      name: "web-1",
      owner: "alice@example.com",
      state: "running",
      platform: "Linux/UNIX",
    });
    expect(regions).toEqual(["eu-west-1"]);
  });

  it("is not tagged for approval with any other patch-policy", async () => {
    ec2.on(DescribeInstancesCommand).resolves(instance([{ Key: "patch-policy", Value: "patch-on-schedule" }]));
    await expect(lookUp({ action: "lookUp", ...target }, deps)).resolves.toMatchObject({ tagged: false, name: null, owner: null });
  });

  it.each([
    ["unknown", () => ec2.on(DescribeInstancesCommand).rejects(sdkError("InvalidInstanceID.NotFound"))],
    ["terminated", () => ec2.on(DescribeInstancesCommand).resolves(instance([{ Key: "patch-policy", Value: "patch-on-approval" }], "terminated"))],
  ])("an %s instance is InstanceNotFound", async (_what, arrange) => {
    arrange();
    await expect(lookUp({ action: "lookUp", ...target }, deps)).rejects.toMatchObject({ name: "InstanceNotFound" });
  });

  it("EC2 throttling surfaces as TransientAwsError, for the state machine to retry", async () => {
    ec2.on(DescribeInstancesCommand).rejects(sdkError("RequestLimitExceeded", { $retryable: { throttling: true } }));
    await expect(lookUp({ action: "lookUp", ...target }, deps)).rejects.toMatchObject({
      name: "TransientAwsError",
      message: "ec2 DescribeInstances: RequestLimitExceeded",
    });
  });

  it("other errors (e.g. a missing member role permission) are not retried", async () => {
    ec2.on(DescribeInstancesCommand).rejects(sdkError("UnauthorizedOperation"));
    await expect(lookUp({ action: "lookUp", ...target }, deps)).rejects.toMatchObject({ name: "UnauthorizedOperation" });
  });
});

describe("createBackup", () => {
  const input = { action: "createBackup" as const, ...target, approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", timeoutMinutes: 180 };

  it("creates an AMI without reboot, tagged with the approval on the image and its snapshots", async () => {
    ec2.on(CreateImageCommand).resolves({ ImageId: "ami-0123456789abcdef0" });
    await expect(createBackup(input, deps)).resolves.toEqual({
      imageId: "ami-0123456789abcdef0",
      status: "pending",
      waitUntil: "2027-03-04T11:00:00.000Z",
      nextCheckSeconds: 60,
      checks: 0,
    });
    const tags = [
      { Key: "patchline:approval-id", Value: "Yq3Yw8n1Zq5d0xJ2r6u9Aw" },
      { Key: "patchline:instance-id", Value: target.instanceId },
      { Key: "Name", Value: `patchline backup of ${target.instanceId} before patching` },
    ];
    expect(ec2).toHaveReceivedCommandWith(CreateImageCommand, {
      InstanceId: target.instanceId,
      Name: `patchline-${target.instanceId}-Yq3Yw8n1Zq5d0xJ2r6u9Aw`,
      NoReboot: true,
      TagSpecifications: [
        { ResourceType: "image", Tags: tags },
        { ResourceType: "snapshot", Tags: tags },
      ],
    });
  });

  it("a retry finds the image the first attempt created, by its unique name", async () => {
    ec2.on(CreateImageCommand).rejects(sdkError("InvalidAMIName.Duplicate"));
    ec2
      .on(DescribeImagesCommand, { Owners: ["self"], Filters: [{ Name: "name", Values: [`patchline-${target.instanceId}-Yq3Yw8n1Zq5d0xJ2r6u9Aw`] }] })
      .resolves({ Images: [{ ImageId: "ami-0aaa" }] });
    await expect(createBackup(input, deps)).resolves.toMatchObject({ imageId: "ami-0aaa" });
  });
});

describe("checkBackup", () => {
  const input = { action: "checkBackup" as const, ...target, imageId: "ami-0123456789abcdef0", waitUntil: "2027-03-04T11:00:00.000Z", checks: 2 };

  it.each<[string, Image, Record<string, unknown>]>([
    ["available", { State: "available" }, { status: "available" }],
    ["pending", { State: "pending" }, { status: "pending", nextCheckSeconds: 300 }],
    [
      "failed",
      { State: "failed", StateReason: { Message: "Snapshot creation failed" } },
      { status: "failed", reason: "AMI ami-0123456789abcdef0 is failed: Snapshot creation failed" },
    ],
  ])("%s", async (_state, image, expected) => {
    ec2.on(DescribeImagesCommand, { ImageIds: ["ami-0123456789abcdef0"] }).resolves({ Images: [image] });
    await expect(checkBackup(input, deps)).resolves.toMatchObject({ imageId: "ami-0123456789abcdef0", checks: 3, ...expected });
  });

  it("still pending at the backup's deadline: timed out", async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ State: "pending" as const }] });
    await expect(checkBackup({ ...input, waitUntil: "2027-03-04T08:00:00.000Z" }, deps)).resolves.toMatchObject({
      status: "timed-out",
      reason: "AMI ami-0123456789abcdef0 was still pending at the backup's deadline",
    });
  });

  it("a new image not visible yet is pending for the first checks, an error after", async () => {
    ec2.on(DescribeImagesCommand).rejects(sdkError("InvalidAMIID.NotFound"));
    await expect(checkBackup({ ...input, checks: 0 }, deps)).resolves.toMatchObject({ status: "pending", checks: 1 });
    await expect(checkBackup({ ...input, checks: 3 }, deps)).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
  });

  it("backs off, up to a check every five minutes", async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ State: "pending" as const }] });
    await expect(checkBackup({ ...input, checks: 0 }, deps)).resolves.toMatchObject({ nextCheckSeconds: 120 });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ State: "pending" as const }] });
    await expect(checkBackup({ ...input, checks: 9 }, deps)).resolves.toMatchObject({ nextCheckSeconds: 300 });
  });
});
