import { type EC2Client, paginateDescribeImages, paginateDescribeSnapshots, type Tag } from "@aws-sdk/client-ec2";
import { BackupTags } from "../../contracts/install-runbook.js";

/** A pre-patch backup of an instance: an AMI (install runbook, kind "ami", or the approval workflow) or a root-volume snapshot. */
export interface Backup {
  readonly id: string;
  readonly kind: "AMI" | "snapshot";
  readonly createdAt: string;
  /** available (AMI) or completed (snapshot): the restore runbook accepts only these. */
  readonly usable: boolean;
  readonly state: string;
  readonly window?: string;
  readonly windowExecutionId?: string;
}

const tag = (tags: readonly Tag[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;
const PAGE = 100;

/**
 * Every backup tagged for the instance in this account and region, newest first: AMIs and
 * snapshots the account owns with the instance's `patchline:instance-id` tag (AWS Backup copies
 * the install runbook's tags to them; the approval workflow tags its AMIs so too).
 *
 * An AMI's own snapshots carry the instance's tag as well (the approval workflow tags them, AWS
 * Backup may), data volumes among them: they are part of their AMI, not backups of their own, and
 * are left out. A standalone snapshot is a restorable root only when the install runbook marked it
 * as the root volume's (`patchline:root-volume` = its VolumeId); any other is listed as unusable,
 * because replacing the root volume with a data volume's snapshot fails or boots nothing.
 */
export async function findBackups(ec2: EC2Client, instanceId: string): Promise<Backup[]> {
  const filters = [{ Name: `tag:${BackupTags.instanceId}`, Values: [instanceId] }];
  const backups: Backup[] = [];
  const snapshotsOfImages = new Set<string>();
  for await (const page of paginateDescribeImages({ client: ec2, pageSize: PAGE }, { Owners: ["self"], Filters: filters }))
    for (const image of page.Images ?? []) {
      for (const mapping of image.BlockDeviceMappings ?? []) if (mapping.Ebs?.SnapshotId) snapshotsOfImages.add(mapping.Ebs.SnapshotId);
      if (!image.ImageId) continue;
      backups.push({
        id: image.ImageId,
        kind: "AMI",
        createdAt: image.CreationDate ?? "",
        usable: image.State === "available",
        state: image.State ?? "unknown",
        window: tag(image.Tags, BackupTags.window),
        windowExecutionId: tag(image.Tags, BackupTags.windowExecutionId),
      });
    }
  for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: PAGE }, { OwnerIds: ["self"], Filters: filters }))
    for (const snapshot of page.Snapshots ?? []) {
      if (!snapshot.SnapshotId || snapshotsOfImages.has(snapshot.SnapshotId)) continue;
      const ofRoot = snapshot.VolumeId !== undefined && tag(snapshot.Tags, BackupTags.rootVolume) === snapshot.VolumeId;
      backups.push({
        id: snapshot.SnapshotId,
        kind: "snapshot",
        createdAt: snapshot.StartTime?.toISOString() ?? "",
        usable: ofRoot && snapshot.State === "completed",
        state: ofRoot ? (snapshot.State ?? "unknown") : `not marked as the root volume's (${BackupTags.rootVolume})`,
        window: tag(snapshot.Tags, BackupTags.window),
        windowExecutionId: tag(snapshot.Tags, BackupTags.windowExecutionId),
      });
    }
  return backups.sort((a, b) => Date.parse(b.createdAt || "0") - Date.parse(a.createdAt || "0") || a.id.localeCompare(b.id));
}

/** `ami-0123… (AMI, 2027-01-06T03:12:00.000Z, window prod-monthly, execution 1a2b…)` */
export function describeBackup(backup: Backup): string {
  const details = [
    backup.kind,
    backup.createdAt || "creation time unknown",
    ...(backup.usable ? [] : [backup.state]),
    ...(backup.window ? [`window ${backup.window}`] : []),
    ...(backup.windowExecutionId ? [`window execution ${backup.windowExecutionId}`] : []),
  ];
  return `${backup.id} (${details.join(", ")})`;
}

/** The backup to restore: the one asked for (it must be the instance's and usable), or the newest usable. */
export function chooseBackup(backups: readonly Backup[], requested: string | undefined): { backup: Backup } | { problem: string } {
  const listed = backups.length === 0 ? "none" : backups.slice(0, 10).map(describeBackup).join("; ");
  if (requested !== undefined) {
    const backup = backups.find((b) => b.id === requested);
    if (!backup) return { problem: `--backup: ${requested} is not a backup of the instance (tagged ${BackupTags.instanceId}); its backups: ${listed}` };
    if (!backup.usable)
      return {
        problem: `--backup: ${describeBackup(backup)} is not usable: ${backup.state} (an AMI must be available; a snapshot completed and marked as the root volume's by the install runbook)`,
      };
    return { backup };
  }
  const newest = backups.find((b) => b.usable);
  return newest ? { backup: newest } : { problem: `no usable backup of the instance (tagged ${BackupTags.instanceId}); found: ${listed}` };
}
