import { readFileSync } from "node:fs";
import { evidenceFromText } from "../../tools/promote/source.js";
import type { PromotionRecord } from "../../contracts/promotion-record.js";
import { parseOrgConfig, type OrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { decidePromotion, type EvidenceSource } from "../../tools/promote/decide.js";
import { exampleOrganization } from "../fixtures/organizations/example/index.js";
import type { ConfigDraft } from "./config.js";

/** The shipped evidence of the example's preprod (the docs' walk-through uses it too). */
export const EVIDENCE_FIXTURE = "test/fixtures/evidence/preprod.json";
/** A day after the fixture's evidence was collected: when its promotion is decided in tests. */
export const PROMOTED_AT = new Date("2026-11-21T09:00:00.000Z");

export function fixtureEvidence(path = EVIDENCE_FIXTURE): EvidenceSource {
  return evidenceFromText(readFileSync(path, "utf8"), path);
}

const DAY_MS = 86_400_000;
const isoTime = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z/g;

/**
 * The shipped evidence with every time moved by whole days, as a later run of the same fleet would
 * report it (ids stay): for tests that run promote on today's clock, which refuses evidence older
 * than `maxRecordAgeDays`. The cut-off moves by the same days.
 */
export function shiftedEvidenceText(days: number, path = EVIDENCE_FIXTURE): string {
  return readFileSync(path, "utf8").replace(isoTime, (time) => new Date(Date.parse(time) + days * DAY_MS).toISOString());
}

/** Whole days from the fixture's collection to the day before `now`: the shift that makes the fixture yesterday's evidence. */
export function daysToYesterday(now: Date): number {
  return Math.floor((now.getTime() - Date.parse("2026-11-20T08:00:41.000Z")) / DAY_MS) - 1;
}

/** A date (YYYY-MM-DD) moved by whole days. */
export const shiftedDate = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const env = (config: OrgConfig, name: string) => config.environments.find((e) => e.name === name)!;

/** The record `npm run promote -- --from preprod --to prod --evidence <fixture>` writes for `input`, at PROMOTED_AT. */
export function fixtureRecord(input: OrgConfigInput = exampleOrganization, now = PROMOTED_AT): PromotionRecord {
  const config = parseOrgConfig(input, { now });
  return decidePromotion({ evidence: fixtureEvidence(), from: env(config, "preprod"), to: env(config, "prod"), now });
}

/**
 * A record made today from the shipped evidence moved to yesterday, for tests whose code reads the
 * clock itself (synth refuses records older than `maxRecordAgeDays`, promote stale evidence).
 */
export function recentRecord(input: OrgConfigInput = exampleOrganization, now = new Date()): PromotionRecord {
  const text = shiftedEvidenceText(Math.max(0, daysToYesterday(now)));
  const evidence = evidenceFromText(text, EVIDENCE_FIXTURE);
  const config = parseOrgConfig(input, { now });
  return decidePromotion({ evidence, from: env(config, "preprod"), to: env(config, "prod"), now });
}

/**
 * The draft's environment promoted in mode install-override-list: its install tasks run
 * AWS-RunPatchBaseline without hooks, since AWS-RunPatchBaselineWithHooks takes no InstallOverrideList.
 */
export function promoteExactly(draft: ConfigDraft, environment = "prod"): void {
  const env = draft.environments[environment];
  env.promotion.mode = "install-override-list";
  for (const window of env.maintenanceWindows) {
    if (!window.install) continue;
    window.install.document = "AWS-RunPatchBaseline";
    delete window.install.hooks;
  }
}
