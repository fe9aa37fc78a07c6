import { CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, type EC2Client, type Tag } from "@aws-sdk/client-ec2";
import * as z from "zod/mini";
import { PatchPolicy, PATCH_POLICY_TAG } from "../../../contracts/tags.js";
import { APPROVAL_ID_PATTERN, ApprovalErrors, BACKUP_APPROVAL_TAG, BackupStatuses, InstanceActions } from "../../../contracts/approval.js";
import { surfaceTransient } from "../../shared/errors.js";
import type { Log } from "../../shared/logger.js";
import { memberTarget } from "../shared/member-target.js";
import { resolveAccountInput } from "./account.js";
import { nextCheckSeconds } from "../../shared/polling.js";

/** What the state machine asks of the instance function (EC2 in the member account and region). */
const lookUpInput = z.object({ action: z.literal(InstanceActions.lookUp), ...memberTarget });
const createBackupInput = z.object({
  action: z.literal(InstanceActions.createBackup),
  ...memberTarget,
  approvalId: z.string().check(z.regex(APPROVAL_ID_PATTERN)),
  timeoutMinutes: z.int().check(z.positive()),
});
const checkBackupInput = z.object({
  action: z.literal(InstanceActions.checkBackup),
  ...memberTarget,
  imageId: z.string().check(z.regex(/^ami-[0-9a-f]+$/)),
  waitUntil: z.string(),
  checks: z.int().check(z.nonnegative()),
});

export const instanceInput = z.discriminatedUnion("action", [resolveAccountInput, lookUpInput, createBackupInput, checkBackupInput]);
export type LookUpInput = z.infer<typeof lookUpInput>;
export type CreateBackupInput = z.infer<typeof createBackupInput>;
export type CheckBackupInput = z.infer<typeof checkBackupInput>;

/** The instance does not exist (any more): the workflow ends quietly. */
export class InstanceNotFound extends Error {
  override readonly name = ApprovalErrors.instanceNotFound;
}

export interface InstanceDeps {
  /** An EC2 client for the member account and region, with the approval access role's credentials. */
  readonly ec2: (account: string, region: string) => EC2Client;
  readonly ownerTagKey: string;
  readonly now: () => Date;
  readonly log: Log;
}

const tagValue = (tags: readonly Tag[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

export interface InstanceSummary {
  readonly tagged: boolean;
  readonly name: string | null;
  readonly owner: string | null;
  readonly state: string | null;
  readonly platform: string | null;
}

/** Is the instance tagged for approval, what is it called, who owns it. */
export async function lookUp(input: LookUpInput, deps: InstanceDeps): Promise<InstanceSummary> {
  let result;
  try {
    result = await deps.ec2(input.account, input.region).send(new DescribeInstancesCommand({ InstanceIds: [input.instanceId] }));
  } catch (error) {
    if (error instanceof Error && error.name === "InvalidInstanceID.NotFound")
      throw new InstanceNotFound(`${input.instanceId} does not exist in ${input.account}/${input.region}`);
    surfaceTransient(error, "ec2 DescribeInstances");
  }
  const instance = result.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === input.instanceId);
  // terminated instances stay visible for a while
  if (!instance || instance.State?.Name === "terminated" || instance.State?.Name === "shutting-down") {
    throw new InstanceNotFound(`${input.instanceId} does not exist (any more) in ${input.account}/${input.region}`);
  }
  return {
    tagged: tagValue(instance.Tags, PATCH_POLICY_TAG) === PatchPolicy.ON_APPROVAL,
    name: tagValue(instance.Tags, "Name") ?? null,
    owner: tagValue(instance.Tags, deps.ownerTagKey) ?? null,
    state: instance.State?.Name ?? null,
    platform: instance.PlatformDetails ?? null,
  };
}

export interface BackupProgress {
  readonly imageId: string;
  readonly status: (typeof BackupStatuses)[keyof typeof BackupStatuses];
  readonly reason?: string;
  /** The backup's own deadline (backupTimeoutMinutes after it was started). */
  readonly waitUntil: string;
  readonly nextCheckSeconds: number;
  readonly checks: number;
}

/** AMI names are unique per account and region: a retried call finds the image the first one made. */
const backupName = (input: CreateBackupInput) => `patchline-${input.instanceId}-${input.approvalId}`;

/** Starts an AMI of the instance without rebooting it, tagged with the approval it belongs to. */
export async function createBackup(input: CreateBackupInput, deps: InstanceDeps): Promise<BackupProgress> {
  const ec2 = deps.ec2(input.account, input.region);
  const name = backupName(input);
  const tags = [
    { Key: BACKUP_APPROVAL_TAG, Value: input.approvalId },
    { Key: "patchline:instance-id", Value: input.instanceId },
    { Key: "Name", Value: `patchline backup of ${input.instanceId} before patching` },
  ];
  let imageId: string | undefined;
  try {
    const created = await ec2.send(
      new CreateImageCommand({
        InstanceId: input.instanceId,
        Name: name,
        Description: `patchline: backup before the approved patching ${input.approvalId}`,
        NoReboot: true,
        TagSpecifications: [
          { ResourceType: "image", Tags: tags },
          { ResourceType: "snapshot", Tags: tags },
        ],
      }),
    );
    imageId = created.ImageId;
  } catch (error) {
    if (!(error instanceof Error && error.name === "InvalidAMIName.Duplicate")) surfaceTransient(error, "ec2 CreateImage");
    imageId = await imageNamed(ec2, name);
  }
  if (!imageId) throw new Error(`ec2 CreateImage returned no image id for ${input.instanceId}`);
  deps.log.info("backup started", { imageId, instanceId: input.instanceId, approvalId: input.approvalId });
  return {
    imageId,
    status: BackupStatuses.pending,
    waitUntil: new Date(deps.now().getTime() + input.timeoutMinutes * 60_000).toISOString(),
    nextCheckSeconds: nextCheckSeconds(0),
    checks: 0,
  };
}

async function imageNamed(ec2: EC2Client, name: string): Promise<string | undefined> {
  try {
    const found = await ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: [name] }] }));
    return found.Images?.[0]?.ImageId;
  } catch (error) {
    surfaceTransient(error, "ec2 DescribeImages");
  }
}

const failedImageStates = new Set(["failed", "error", "invalid", "deregistered", "disabled"]);

/** Where the AMI is: available, still pending (until the backup's deadline), or failed. */
export async function checkBackup(input: CheckBackupInput, deps: InstanceDeps): Promise<BackupProgress> {
  let result;
  try {
    result = await deps.ec2(input.account, input.region).send(new DescribeImagesCommand({ ImageIds: [input.imageId] }));
  } catch (error) {
    // a new image can take a moment to become visible
    if (!(error instanceof Error && error.name === "InvalidAMIID.NotFound" && input.checks < 3)) surfaceTransient(error, "ec2 DescribeImages");
  }
  const image = result?.Images?.[0];
  const checks = input.checks + 1;
  const progress = { imageId: input.imageId, waitUntil: input.waitUntil, nextCheckSeconds: nextCheckSeconds(checks), checks };
  if (image?.State === "available") return { ...progress, status: BackupStatuses.available };
  if (image?.State && failedImageStates.has(image.State)) {
    return {
      ...progress,
      status: BackupStatuses.failed,
      reason: `AMI ${input.imageId} is ${image.State}${image.StateReason?.Message ? `: ${image.StateReason.Message}` : ""}`,
    };
  }
  if (deps.now().toISOString() >= input.waitUntil) {
    return { ...progress, status: BackupStatuses.timedOut, reason: `AMI ${input.imageId} was still ${image?.State ?? "not visible"} at the backup's deadline` };
  }
  return { ...progress, status: BackupStatuses.pending };
}
