import type { PromotionRecord } from "../../contracts/promotion-record.js";
import { DAY_MS, failureRatePercent, percent } from "../../contracts/promotion-rules.js";

const HELD_BACK_NAMED = 5;

const count = (record: Record<string, readonly unknown[]>) => Object.values(record).reduce((n, list) => n + list.length, 0);

/**
 * A promotion in plain words, for the terminal and the plan review: "prod approves 37 patches that
 * passed preprod on 212 instances (0.5 % failed) over 9 days; 3 held back: KB5034439 failed on 4
 * of 212 instances …".
 */
export function describePromotion(record: PromotionRecord): string {
  const promoted = Object.values(record.promoted).flat();
  const held = Object.entries(record.heldBack).flatMap(([os, patches]) => patches.map((p) => ({ os, ...p })));
  const totals = promoted.reduce((t, p) => ({ installed: t.installed + p.installed, failed: t.failed + p.failed }), { installed: 0, failed: 0 });
  const firsts = promoted.map((p) => p.firstInstalledAt).filter((t): t is string => t !== undefined);
  const days = firsts.length === 0 ? 0 : Math.max(0, Math.round((Date.parse(record.evidence.collectedAt) - Date.parse(firsts.sort()[0]!)) / DAY_MS));
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  let text =
    `${record.to} approves ${plural(count(record.promoted), "patch", "patches")} that passed ${record.from} on ${plural(record.evidence.instances, "instance")} ` +
    `(${percent(Number(failureRatePercent(totals).toFixed(1)))} failed) over ${plural(days, "day")}, released on or before ${record.cutoffDate} ` +
    `(evidence ${record.evidence.id} of ${record.evidence.collectedAt.slice(0, 10)})`;
  const unpromoted = Object.entries(record.evidence.instancesByOs)
    .filter(([, n]) => n === 0)
    .map(([os]) => os);
  if (unpromoted.length > 0) text += `; ${unpromoted.join(", ")}: ${record.from} runs none, approved as configured`;
  if (record.evidence.unreachableTargets.length > 0)
    text += `; ${record.evidence.unreachableTargets.length} of ${record.from}'s accounts and regions unreachable (${record.evidence.unreachableTargets.slice(0, 3).join(", ")}${record.evidence.unreachableTargets.length > 3 ? ", …" : ""})`;
  if (held.length === 0) return `${text}; nothing held back`;
  const named = held.slice(0, HELD_BACK_NAMED).map((p) => `${p.id} (${p.os}) ${p.detail.replace(/;.*$/, "")}`);
  text += `; ${held.length} held back: ${named.join("; ")}`;
  if (held.length > HELD_BACK_NAMED) text += `; and ${held.length - HELD_BACK_NAMED} more`;
  return text;
}

/** Counts for a table row: promoted and held back per operating system. */
export function promotionCounts(record: PromotionRecord): Array<{ os: string; promoted: number; heldBack: number }> {
  const systems = [...new Set([...Object.keys(record.promoted), ...Object.keys(record.heldBack)])].sort();
  return systems.map((os) => ({ os, promoted: record.promoted[os]?.length ?? 0, heldBack: record.heldBack[os]?.length ?? 0 }));
}
