import type { PromotionRecord } from "../../contracts/promotion-record.js";

// a YAML single-quoted scalar: quotes doubled; titles carry no line breaks, but one would end the scalar
const quoted = (value: string): string => `'${value.replace(/[\r\n]+/g, " ").replaceAll("'", "''")}'`;

/**
 * The InstallOverrideList of a promoted environment (AWS-RunPatchBaseline): the promoted patches of
 * every operating system as `id` (DescribeInstancePatches' KBId: the KB id, or `name.arch` on
 * Linux) and `title` (the exact update, or `name.arch:epoch:version-release`). An instance installs
 * the entries that apply to it and nothing else. Deterministic: operating systems and ids sorted.
 */
export function installOverrideListYaml(record: PromotionRecord): string {
  const lines = [
    `# patchline: what ${record.to} installs, promoted from ${record.from} by ${record.evidence.id} (record of ${record.createdAt})`,
    `# released on or before ${record.cutoffDate}; held back: ${Object.values(record.heldBack).flat().length} patches (environments/promotions/${record.to}.json)`,
    "patches:",
  ];
  const systems = Object.keys(record.promoted).sort();
  for (const os of systems) {
    for (const patch of [...(record.promoted[os] ?? [])].sort((a, b) => a.id.localeCompare(b.id))) {
      lines.push(`  - id: ${quoted(patch.kbId)}`, `    title: ${quoted(patch.title)}`);
    }
  }
  // a list without entries would install nothing, which is what a record without promoted patches means
  if (lines.length === 3) lines[2] = "patches: []";
  return `${lines.join("\n")}\n`;
}
