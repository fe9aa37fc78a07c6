import { paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { PATCH_POLICY_TAG, PatchPolicy, type PatchGroupTagKey } from "../../../contracts/tags.js";
import type { MemberReadClients } from "../shared/member-access.js";

/** An instance a window's install task will patch. */
export interface WindowInstance {
  readonly instanceId: string;
  readonly name?: string;
  readonly owner?: string;
  readonly state: string;
}

/**
 * The instances a window's install target selects in one account and region, the way SSM selects
 * them: the patch group tag (`org.patchGroupTagKey`) one of the window's groups and
 * `patch-policy=patch-on-schedule`. One filtered,
 * paginated DescribeInstances sweep; terminated instances are left out.
 */
export async function windowInstances(
  clients: Pick<MemberReadClients, "ec2">,
  patchGroups: readonly string[],
  tagKeys: { readonly ownerTagKey: string; readonly patchGroupTagKey: PatchGroupTagKey },
): Promise<WindowInstance[]> {
  const { ownerTagKey } = tagKeys;
  const filters = [
    { Name: `tag:${tagKeys.patchGroupTagKey}`, Values: [...patchGroups] },
    { Name: `tag:${PATCH_POLICY_TAG}`, Values: [PatchPolicy.ON_SCHEDULE] },
    { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
  ];
  const instances: WindowInstance[] = [];
  for await (const page of paginateDescribeInstances({ client: clients.ec2, pageSize: 1000 }, { Filters: filters })) {
    for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      if (!instance.InstanceId) continue;
      const tag = (key: string) => instance.Tags?.find((t) => t.Key === key)?.Value || undefined;
      instances.push({ instanceId: instance.InstanceId, name: tag("Name"), owner: tag(ownerTagKey), state: instance.State?.Name ?? "unknown" });
    }
  }
  return instances.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}
