import { installOverrideListText } from "../../contracts/install-override-list.js";
import type { PromotionRecord } from "../../contracts/promotion-record.js";

/**
 * The InstallOverrideList of a promoted environment (AWS-RunPatchBaseline): the promoted patches of
 * every operating system as `id` (DescribeInstancePatches' KBId: the KB id, or `name.arch` on
 * Linux) and `title` (the exact update, or `name.arch:epoch:version-release`). An instance installs
 * the entries that apply to it and nothing else. Deterministic: operating systems and ids sorted.
 */
export function installOverrideListYaml(record: PromotionRecord): string {
  const entries = Object.keys(record.promoted)
    .sort()
    .flatMap((os) => [...(record.promoted[os] ?? [])].sort((a, b) => a.id.localeCompare(b.id)).map((patch) => ({ id: patch.kbId, title: patch.title })));
  // a list without entries installs nothing, which is what a record without promoted patches means
  return installOverrideListText(
    [
      `patchline: what ${record.to} installs, promoted from ${record.from} by ${record.evidence.id} (record of ${record.createdAt})`,
      `released on or before ${record.cutoffDate}; held back: ${Object.values(record.heldBack).flat().length} patches (environments/promotions/${record.to}.json)`,
    ],
    entries,
  );
}
