import type { EvidenceDocument } from "../../contracts/evidence.js";
import type { HeldBackPatch, PromotedPatch, PromotionRecord, PromotionRules } from "../../contracts/promotion-record.js";
import { DAY_MS, ruleVerdict } from "../../contracts/promotion-rules.js";
import { ruleApproval, type ConfiguredEnvironment } from "../../environments/schema/index.js";
import { aggregateEvidence, type PatchEvidence } from "./aggregate.js";

/** The promotion cannot be decided from this evidence; the message says why and what to do. */
export class PromotionRefused extends Error {
  override readonly name = "PromotionRefused";
}

export interface EvidenceSource {
  readonly document: EvidenceDocument;
  /** s3:// URI or repository-relative file. */
  readonly source: string;
  readonly sha256: string;
}

/** The source's install window executions in the evidence: of windows with an install task in its config. */
export function installExecutions(evidence: EvidenceDocument, from: ConfiguredEnvironment) {
  const installing = new Set(from.maintenanceWindows.filter((w) => w.install !== undefined).map((w) => w.name));
  return evidence.windowExecutions.filter((e) => installing.has(e.windowName));
}

/**
 * The approve-until date of the target: the last whole day of releases the source's baselines
 * approved at its latest install window of the evidence (the window's start minus its approve-
 * after-days, or its configured approve-until date, or its own promotion's cut-off). Patch Manager
 * approves by the release time in UTC, so a window at 03:00 with 7 days approved what was released
 * until 03:00 seven days before: that day is only partly approved and is left out (an approve-until
 * date takes its whole day). Patches released
 * later were never candidates in the source, so the target's rules do not approve them either.
 */
export function cutoffDate(latestInstallWindowAt: string, from: ConfiguredEnvironment): string {
  const approval = ruleApproval(from, from.promotionRecord);
  if ("approveUntilDate" in approval) return approval.approveUntilDate;
  const approvedUntil = Date.parse(latestInstallWindowAt) - approval.approveAfterDays * DAY_MS;
  return new Date(approvedUntil - DAY_MS).toISOString().slice(0, 10);
}

const withoutCounts = ({ os: _os, rejected: _rejected, ...patch }: PatchEvidence): PromotedPatch => patch;
const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);

/**
 * Applies the target's promotion rules to the source's evidence: per operating system the target
 * runs, each patch the source's baselines approved is promoted or held back with its reason.
 */
export function decidePromotion(input: {
  readonly evidence: EvidenceSource;
  readonly from: ConfiguredEnvironment;
  readonly to: ConfiguredEnvironment;
  readonly now: Date;
}): PromotionRecord {
  const { evidence, from, to, now } = input;
  const promotion = to.promotion;
  if (!promotion) throw new PromotionRefused(`${to.name} has no promotion configured (${to.name}.promotion)`);
  if (promotion.from !== from.name) throw new PromotionRefused(`${to.name}.promotion.from is ${promotion.from}, not ${from.name}`);
  const document = evidence.document;
  if (document.environment !== from.name) throw new PromotionRefused(`${evidence.source} is evidence of ${document.environment}, not of ${from.name}`);

  const executions = installExecutions(document, from);
  if (executions.length === 0)
    throw new PromotionRefused(
      `${evidence.source} (${document.id}) holds no execution of ${from.name}'s install windows (${from.maintenanceWindows
        .filter((w) => w.install)
        .map((w) => w.name)
        .join(", ")}) since ${document.windowExecutionsSince.slice(0, 10)}: there is nothing to promote until ${from.name} has patched`,
    );
  const starts = executions.map((e) => Date.parse(e.StartTime));
  if (starts.some(Number.isNaN)) throw new PromotionRefused(`${evidence.source}: a window execution's StartTime is not a time`);
  const latestInstallWindowAt = new Date(Math.max(...starts)).toISOString();
  const unreachable = document.targets.filter((t) => t.status === "unreachable");
  if (unreachable.length === document.targets.length)
    throw new PromotionRefused(`${evidence.source}: every account and region of ${from.name} was unreachable; the evidence shows nothing`);
  const ageDays = (now.getTime() - Date.parse(document.collectedAt)) / DAY_MS;
  if (!(ageDays <= promotion.maxRecordAgeDays))
    throw new PromotionRefused(
      `${evidence.source} (${document.id}) was collected ${document.collectedAt.slice(0, 10)}, ${Number.isNaN(ageDays) ? "at no valid time" : `${Math.floor(ageDays)} days ago`}; ${to.name}.promotion.maxRecordAgeDays is ${promotion.maxRecordAgeDays}: a record made from it would be stale from the start`,
    );

  const rules: PromotionRules = { minInstances: promotion.minInstances, maxFailureRatePercent: promotion.maxFailureRate, soakDays: promotion.soakDays };
  const aggregated = aggregateEvidence(document);
  const systems = [...new Set(to.patchGroups.flatMap((g) => g.operatingSystems))].sort();
  const promoted: Record<string, PromotedPatch[]> = {};
  const heldBack: Record<string, HeldBackPatch[]> = {};
  for (const os of systems) {
    for (const patch of aggregated.patches.get(os)?.values() ?? []) {
      const verdict =
        patch.rejected > 0
          ? {
              reason: "rejected-in-source" as const,
              detail: `${from.name}'s baseline rejects it (InstalledRejected on ${patch.rejected} instance${patch.rejected === 1 ? "" : "s"})`,
            }
          : ruleVerdict(withoutCounts(patch), rules, document.collectedAt);
      if (verdict) (heldBack[os] ??= []).push({ ...withoutCounts(patch), ...verdict });
      else (promoted[os] ??= []).push(withoutCounts(patch));
    }
  }
  for (const list of Object.values(promoted)) list.sort(byId);
  for (const list of Object.values(heldBack)) list.sort(byId);

  return {
    version: 1,
    from: from.name,
    to: to.name,
    createdAt: now.toISOString(),
    evidence: {
      id: document.id,
      collectedAt: document.collectedAt,
      source: evidence.source,
      sha256: evidence.sha256,
      instances: document.instances.length,
      instancesByOs: Object.fromEntries(systems.map((os) => [os, aggregated.instances.get(os) ?? 0])),
      unreachableTargets: unreachable.map((t) => `${t.accountName} (${t.accountId}) ${t.region}`),
      windowExecutions: executions.length,
      windowExecutionsNotSucceeded: executions.filter((e) => e.Status !== "SUCCESS").length,
      latestInstallWindowAt,
    },
    rules,
    cutoffDate: cutoffDate(latestInstallWindowAt, from),
    promoted,
    heldBack,
  };
}
