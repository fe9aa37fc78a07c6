import { existsSync, readdirSync, readFileSync } from "node:fs";
import { promotionRecordPath, promotionRecordSchema, type PromotionRecord } from "../../contracts/promotion-record.js";
import { DAY_MS, isCalendarDate, ruleVerdict } from "../../contracts/promotion-rules.js";
import { describeIssues } from "../../contracts/zod-issues.js";
import type { Environment } from "./environment.js";
import { ConfigError, show } from "./messages.js";
import { operatingSystems, type OperatingSystem } from "./patching.js";
import type { Org } from "./org.js";

/** Patch Manager takes at most 50 entries in a baseline's rejected patches (PatchIdList). */
export const MAX_REJECTED_PATCHES = 50;

/**
 * The promotion records of `environments/promotions/`, by environment (the file's name), as
 * written; parseOrgConfig checks them. A file that is not JSON stops here, naming it.
 */
export function readPromotionRecords(directory: URL): Record<string, unknown> {
  if (!existsSync(directory)) return {};
  const records: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const file of readdirSync(directory)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const environment = file.slice(0, -".json".length);
    try {
      records[environment] = JSON.parse(readFileSync(new URL(file, directory), "utf8"));
    } catch (error) {
      problems.push(`${promotionRecordPath(environment)}: not JSON (${(error as Error).message})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return records;
}

type NamedEnvironment = Environment & { readonly name: string };

/**
 * Checks each record against its environment's promotion settings as configured now: the right
 * source and target, not older than `maxRecordAgeDays`, every promoted patch within the rules, and
 * the rejected patches within Patch Manager's limit. Returns the valid records and the problems.
 */
export function checkPromotionRecords(
  org: Org,
  environments: readonly NamedEnvironment[],
  records: Readonly<Record<string, unknown>>,
  now: Date,
): { records: Map<string, PromotionRecord>; problems: string[] } {
  const valid = new Map<string, PromotionRecord>();
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(records)) {
    const file = promotionRecordPath(name);
    const problem = (message: string) => problems.push(`${file}: ${message}`);
    const env = environments.find((e) => e.name === name);
    if (!env) {
      problem(`${show(name)} is not a configured environment; delete the record or rename it to its environment`);
      continue;
    }
    if (!env.promotion) {
      problem(`${name} has no promotion configured (${name}.promotion); delete the record or configure the promotion`);
      continue;
    }
    const parsed = promotionRecordSchema.safeParse(raw);
    if (!parsed.success) {
      problem(`not a promotion record: ${describeIssues(parsed.error.issues)}; write it with npm run promote`);
      continue;
    }
    const record = parsed.data;
    const before = problems.length;
    const rerun = `npm run promote -- --from ${env.promotion.from} --to ${name}`;
    if (record.to !== name) problem(`promotes to ${show(record.to)}, not ${name}; run ${rerun}`);
    if (record.from !== env.promotion.from)
      problem(`promotes from ${show(record.from)}, but ${name}.promotion.from is ${show(env.promotion.from)}; run ${rerun}`);
    const ageDays = (now.getTime() - Date.parse(record.createdAt)) / DAY_MS;
    if (Number.isNaN(ageDays)) problem(`createdAt ${show(record.createdAt)} is not a time`);
    else if (ageDays < -1) problem(`createdAt ${record.createdAt} is in the future`);
    else if (ageDays > env.promotion.maxRecordAgeDays)
      problem(
        `written ${record.createdAt.slice(0, 10)}, ${Math.floor(ageDays)} days ago; ${name}.promotion.maxRecordAgeDays is ${env.promotion.maxRecordAgeDays}: collect fresh evidence of ${record.from} and run ${rerun}`,
      );
    if (!isCalendarDate(record.cutoffDate)) problem(`cutoffDate ${show(record.cutoffDate)} is not a date (YYYY-MM-DD)`);

    const rules = { minInstances: env.promotion.minInstances, maxFailureRatePercent: env.promotion.maxFailureRate, soakDays: env.promotion.soakDays };
    const ruleField = { failed: "maxFailureRate", "too-few-instances": "minInstances", "not-soaked": "soakDays", "rejected-in-source": "from" } as const;
    for (const os of [...Object.keys(record.promoted), ...Object.keys(record.heldBack)]) {
      if (!(operatingSystems as readonly string[]).includes(os)) problem(`${show(os)} is not an operating system; allowed: ${operatingSystems.join(", ")}`);
    }
    for (const [os, patches] of Object.entries(record.promoted)) {
      const heldIds = new Set((record.heldBack[os] ?? []).map((p) => p.id));
      for (const patch of patches) {
        if (heldIds.has(patch.id)) problem(`${patch.id} (${os}) is both promoted and held back`);
        const verdict = ruleVerdict(patch, rules, record.evidence.collectedAt);
        if (verdict) problem(`${patch.id} (${os}) is promoted but ${verdict.detail} (${name}.promotion.${ruleField[verdict.reason]}); run ${rerun}`);
      }
    }
    if (env.promotion.mode === "install-override-list" && Object.values(record.promoted).every((list) => list.length === 0))
      problem(
        `promotes no patch; with ${name}.promotion.mode "install-override-list" the install task would get an empty list: wait for evidence with promoted patches, or delete the record`,
      );
    // with an install override list the held-back patches are left out of the list, not rejected
    const systems = env.promotion.mode === "baseline" ? new Set(env.patchGroups.flatMap((g) => g.operatingSystems)) : new Set<OperatingSystem>();
    for (const os of systems) {
      const rejected = rejectedPatches(org, env, os, record);
      if (rejected.length > MAX_REJECTED_PATCHES)
        problem(
          `${os}: ${rejected.length} rejected patches (the baseline's ${rejected.length - (record.heldBack[os]?.length ?? 0)} and ${record.heldBack[os]?.length ?? 0} held back), more than Patch Manager's ${MAX_REJECTED_PATCHES} per baseline; use ${name}.promotion.mode "install-override-list" or fix the failures in ${record.from} first`,
        );
    }
    if (problems.length === before) valid.set(name, record);
  }
  return { records: valid, problems };
}

/**
 * A promotion needs its evidence (and, in mode install-override-list, its list) kept at least as
 * long as a record stays valid: `promote --check` reads the evidence a record names, instances the
 * list the central stack wrote, both from the evidence bucket whose objects expire after its retention.
 */
export function checkPromotionRetention(org: Org, environments: readonly NamedEnvironment[]): string[] {
  const retention = org.compliance.evidenceRetentionDays;
  return environments.flatMap((env) =>
    env.promotion && env.promotion.maxRecordAgeDays >= retention
      ? [
          `${env.name}.promotion.maxRecordAgeDays: ${env.promotion.maxRecordAgeDays} is not below org.compliance.evidenceRetentionDays (${retention}); the evidence a record names (and its install override list) would expire while the record is still valid`,
        ]
      : [],
  );
}

/** The environment installs exactly its promoted patches: it has a record, in mode "install-override-list". */
export const installsExactly = (env: Environment, record: PromotionRecord | undefined): boolean =>
  record !== undefined && env.promotion?.mode === "install-override-list";

/**
 * The environment's own rejected patches of an operating system, then those its promotion record
 * holds back (mode "baseline"; with an install override list the list leaves them out instead, and
 * compliance shows them missing).
 */
export function environmentRejectedPatches(env: Environment, os: OperatingSystem, record: PromotionRecord | undefined): string[] {
  const own = env.rejectedPatches[os] ?? [];
  const held = record && !installsExactly(env, record) ? (record.heldBack[os] ?? []).map((p) => p.id) : [];
  return [...own, ...[...new Set(held)].filter((id) => !own.includes(id))];
}

/** A baseline's rejected patches: the template's, then the environment's (each once, as Terraform keeps them as a set). */
export function rejectedPatches(org: Org, env: Environment, os: OperatingSystem, record: PromotionRecord | undefined): string[] {
  return [...new Set([...(org.baselines[os]?.rejectedPatches ?? []), ...environmentRejectedPatches(env, os, record)])];
}

/** How an environment's rules approve by date: the promotion record's cut-off, the configured date, or days after release. */
export type RuleApproval = { readonly approveAfterDays: number } | { readonly approveUntilDate: string };

/**
 * Patch Manager approves Debian and Ubuntu patches without a date (PatchRule: approve-after-days
 * and approve-until date "not supported for Debian Server or Ubuntu Server"): a promotion's cut-off
 * cannot apply to them; held-back packages are still rejected, and an install override list is exact.
 */
export const NO_DATE_APPROVAL: readonly OperatingSystem[] = ["DEBIAN", "UBUNTU"];

/**
 * Whether a promotion record sets the cut-off of this operating system's baseline: Patch Manager
 * must take a date for it, and the source must run it (an operating system the evidence shows no
 * instance of proved nothing: its baseline keeps the target's configured approval).
 */
export const cutoffApplies = (record: PromotionRecord | undefined, os: OperatingSystem): boolean =>
  record !== undefined && !NO_DATE_APPROVAL.includes(os) && (record.evidence.instancesByOs[os] ?? 0) > 0;

/** How the rules of one operating system's baseline approve: by the record's cut-off where it applies, else as configured. */
export function ruleApprovalFor(env: Environment, record: PromotionRecord | undefined, os: OperatingSystem): RuleApproval {
  return ruleApproval(env, cutoffApplies(record, os) ? record : undefined);
}

export function ruleApproval(env: Environment, record: PromotionRecord | undefined): RuleApproval {
  if (record) return { approveUntilDate: record.cutoffDate };
  if (env.approveUntilDate !== undefined) return { approveUntilDate: env.approveUntilDate };
  if (env.approveAfterDays !== undefined) return { approveAfterDays: env.approveAfterDays };
  throw new Error("ruleApproval: neither approveAfterDays nor approveUntilDate; the config checks should have rejected this");
}

/** The rule approval in words, for the baseline's description. */
export function describeRuleApproval(approval: RuleApproval, promotedFrom?: string): string {
  if ("approveAfterDays" in approval) return `approved ${approval.approveAfterDays} days after release`;
  return promotedFrom
    ? `promoted from ${promotedFrom}: released on or before ${approval.approveUntilDate}`
    : `approved when released on or before ${approval.approveUntilDate}`;
}
