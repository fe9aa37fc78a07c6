import { approvalDefaults } from "./approval.js";
import { checkApprovalChannels } from "./approval-channels.js";
import { checkApprovalPatching } from "./approval-patching.js";
import { checkCompliance } from "./compliance-invariants.js";
import { checkKeyRoles } from "./key-roles.js";
import { checkRestoreOperatorRoles } from "./restore-roles.js";
import { checkRunbookTiming } from "./runbook-timing.js";
import { checkQuickSight } from "./quicksight-invariants.js";
import type { EnvironmentInput } from "./environment.js";
import type { OrgConfigInput, Problem } from "./input.js";
import type { OrgInput } from "./org.js";
import { show } from "./messages.js";
import { checkApprovalOrder, checkInstallOverrideListDocuments, checkPromotionSources } from "./promotion-invariants.js";
import { approvalFilterKeys, hookPlatforms, operatingSystems, platformOf, type OperatingSystem } from "./patching.js";
import { isCron } from "./primitives.js";
import { checkWaves } from "./wave-invariants.js";
import { accountStackLayout, DEFAULT_MAX_REGIONS_PER_STACK, regionStackName } from "../../contracts/stack-layout.js";

export type { OrgConfigInput, Problem } from "./input.js";

/**
 * Checks that span fields, environments or the organization. They run on the raw input, next to
 * the field checks, so that one run reports every problem; each guards against values the field
 * checks already reject.
 */
export function checkInvariants(config: OrgConfigInput): Problem[] {
  const problems: Problem[] = [];
  const report = (path: Problem["path"], message: string) => problems.push({ path, message });
  const envNames = Object.keys(config.environments ?? {});
  const order = config.org?.promotionOrder ?? [];

  checkPromotionOrder(envNames, order, report);
  checkBaselineFilters(config.org, report);
  checkAccountsAcrossEnvironments(config, report);
  checkApprovalOrder(config, order, report);
  checkPromotionSources(config, order, report);
  checkInstallOverrideListDocuments(config, report);
  checkMinDaysAfterPrevious(config, order, report);
  checkWaves(config, report);
  checkRunbookTiming(config, report);
  for (const envName of envNames) checkEnvironment(config, envName, report);
  checkHookDocumentNames(config.org, report);
  checkApproval(config, envNames, report);
  checkApprovalChannels(config, report);
  checkApprovalPatching(config, report);
  checkCompliance(config, report);
  checkQuickSight(config, report);
  checkKeyRoles(config, report);
  checkRestoreOperatorRoles(config, report);
  return problems;
}

type Report = (path: Problem["path"], message: string) => void;

function checkPromotionOrder(envNames: string[], order: readonly string[], report: Report) {
  for (const name of envNames) {
    if (!order.includes(name)) report(["org", "promotionOrder"], `environment ${show(name)} is missing; list every environment in promotion order`);
  }
  order.forEach((name, i) => {
    if (!envNames.includes(name)) report(["org", "promotionOrder", i], `${show(name)} is not a configured environment (configured: ${envNames.join(", ")})`);
  });
}

function checkBaselineFilters(org: OrgInput | undefined, report: Report) {
  for (const [os, baseline] of Object.entries(org?.baselines ?? {})) {
    const allowed = approvalFilterKeys[os as OperatingSystem];
    if (!allowed || !baseline) continue;
    (baseline.approvalRules ?? []).forEach((rule, r) => {
      for (const [key, values] of Object.entries(rule?.filters ?? {})) {
        const path = ["org", "baselines", os, "approvalRules", r, "filters", key];
        if (!(key in allowed)) {
          report(path, `${show(key)} is not a patch filter for ${os}; allowed: ${Object.keys(allowed).join(", ")}`);
          continue;
        }
        const closedValues = allowed[key];
        if (!closedValues || !Array.isArray(values)) continue;
        values.forEach((value, v) => {
          if (value !== "*" && !closedValues.includes(value)) {
            report([...path, v], `${show(value)} is not a ${key} value for ${os}; allowed: ${closedValues.join(", ")}, *`);
          }
        });
      }
    });
  }
}

function checkAccountsAcrossEnvironments(config: OrgConfigInput, report: Report) {
  const firstSeen = new Map<string, string>();
  for (const [envName, env] of Object.entries(config.environments ?? {})) {
    const names = new Map<string, number>();
    (env?.accounts ?? []).forEach((account, i) => {
      if (typeof account?.id === "string") {
        const where = `${envName}.accounts[${i}]`;
        const earlier = firstSeen.get(account.id);
        if (earlier) report([envName, "accounts", i, "id"], `${show(account.id)} is already in ${earlier}; an account belongs to exactly one environment`);
        else firstSeen.set(account.id, where);
      }
      if (typeof account?.name === "string") {
        const earlier = names.get(account.name);
        if (earlier !== undefined)
          report([envName, "accounts", i, "name"], `${show(account.name)} is already the name of ${envName}.accounts[${earlier}]; stack names must be unique`);
        else names.set(account.name, i);
      }
    });
    checkRegionStackNames(config, envName, names, report);
  }
}

/** An account's region stacks (`<env>-<account>-<region>`) may not take another account's stack name. */
function checkRegionStackNames(config: OrgConfigInput, envName: string, accountNames: ReadonlyMap<string, number>, report: Report) {
  const env = config.environments?.[envName];
  const max = config.org?.maxRegionsPerStack;
  (env?.accounts ?? []).forEach((account) => {
    const regions = account?.regions ?? env?.regions;
    if (typeof account?.name !== "string" || !Array.isArray(regions)) return;
    for (const region of accountStackLayout(regions, typeof max === "number" ? max : DEFAULT_MAX_REGIONS_PER_STACK).regionStacks) {
      const taken = accountNames.get(regionStackName(account.name, region));
      if (taken !== undefined)
        report(
          [envName, "accounts", taken, "name"],
          `${show(regionStackName(account.name, region))} is also the name of the stack of ${show(account.name)}'s region ${region} (${regionStackName(`${envName}-${account.name}`, region)}); stack names must be unique: rename the account`,
        );
    }
  });
}

function checkMinDaysAfterPrevious(config: OrgConfigInput, order: readonly string[], report: Report) {
  const first = order[0];
  const days = first === undefined ? undefined : config.environments?.[first]?.minDaysAfterPrevious;
  if (first !== undefined && days !== undefined) {
    report([first, "minDaysAfterPrevious"], `${show(days)} has no environment to wait for: ${first} is first in ${[...new Set(order)].join(" → ")}`);
  }
}

function checkEnvironment(config: OrgConfigInput, envName: string, report: Report) {
  const env = config.environments[envName];
  if (!env) return;
  const baselines = config.org?.baselines ?? {};
  // unknown OS keys are reported by the schema; here only the known ones count
  const isKnownOs = (os: string) => (operatingSystems as readonly string[]).includes(os);
  const definedOs = Object.keys(baselines).filter(isKnownOs);
  const hookDocs = new Map((config.org?.hookDocuments ?? []).map((d) => [d?.name, d]));
  const windows = env.maintenanceWindows ?? [];
  const windowNames = windows.map((w) => w?.name);

  const groupNames = new Map<string, number>();
  const groupsByWindow = new Map<string, { name: string; operatingSystems: readonly string[] }[]>();
  (env.patchGroups ?? []).forEach((group, g) => {
    if (!group) return;
    if (groupNames.has(group.name))
      report([envName, "patchGroups", g, "name"], `${show(group.name)} is already defined at ${envName}.patchGroups[${groupNames.get(group.name)}]`);
    groupNames.set(group.name, g);
    (group.operatingSystems ?? []).forEach((os, o) => {
      if (!definedOs.includes(os))
        report([envName, "patchGroups", g, "operatingSystems", o], `${show(os)} has no baseline in org.baselines (defined: ${definedOs.join(", ")})`);
    });
    if (typeof group.maintenanceWindow === "string") {
      if (!windowNames.includes(group.maintenanceWindow)) {
        report(
          [envName, "patchGroups", g, "maintenanceWindow"],
          `${show(group.maintenanceWindow)} is not a maintenance window of ${envName} (defined: ${windowNames.join(", ")})`,
        );
      } else {
        const list = groupsByWindow.get(group.maintenanceWindow) ?? [];
        list.push({ name: group.name, operatingSystems: group.operatingSystems ?? [] });
        groupsByWindow.set(group.maintenanceWindow, list);
      }
    }
  });

  for (const kind of ["approvedPatches", "rejectedPatches"] as const) {
    for (const os of Object.keys(env[kind] ?? {}).filter(isKnownOs)) {
      if (!definedOs.includes(os)) report([envName, kind, os], `${show(os)} has no baseline in org.baselines (defined: ${definedOs.join(", ")})`);
    }
  }

  const seenWindows = new Map<string, number>();
  windows.forEach((window, w) => {
    if (!window) return;
    const at = (...rest: (string | number)[]) => [envName, "maintenanceWindows", w, ...rest];
    if (seenWindows.has(window.name))
      report(at("name"), `${show(window.name)} is already the name of ${envName}.maintenanceWindows[${seenWindows.get(window.name)}]`);
    seenWindows.set(window.name, w);
    if (
      typeof window.cutoffHours === "number" &&
      typeof window.durationHours === "number" &&
      window.durationHours >= 1 &&
      window.cutoffHours >= window.durationHours
    ) {
      report(at("cutoffHours"), `${window.cutoffHours} is not below the window's duration of ${window.durationHours} h; no task could start`);
    }
    if (window.scheduleOffsetDays !== undefined && typeof window.schedule === "string" && !isCron(window.schedule)) {
      report(
        at("scheduleOffsetDays"),
        `${window.scheduleOffsetDays} needs a cron schedule; SSM applies offsets to cron expressions only (schedule is ${show(window.schedule)})`,
      );
    }
    if (window.startDate && window.endDate && Date.parse(window.startDate) >= Date.parse(window.endDate)) {
      report(at("endDate"), `${show(window.endDate)} is not after startDate ${show(window.startDate)}`);
    }
    if (!window.scan && !window.install) report(at(), `window ${show(window.name)} has neither a scan nor an install task`);
    const groups = groupsByWindow.get(window.name) ?? [];
    if (groups.length === 0)
      report(at("name"), `window ${show(window.name)} patches no patch group; set maintenanceWindow on a patch group or remove the window`);
    checkHooks(window, groups, hookDocs, at, report);
  });
}

function checkHooks(
  window: NonNullable<EnvironmentInput["maintenanceWindows"]>[number],
  groups: { name: string; operatingSystems: readonly string[] }[],
  hookDocs: Map<string | undefined, NonNullable<OrgInput["hookDocuments"]>[number]>,
  at: (...rest: (string | number)[]) => (string | number)[],
  report: Report,
) {
  const hooks = window.install?.hooks;
  if (!hooks) return;
  const document = window.install?.document ?? "AWS-RunPatchBaseline";
  if (document !== "AWS-RunPatchBaselineWithHooks") {
    report(at("install", "hooks"), `hooks need document "AWS-RunPatchBaselineWithHooks" (document is ${show(document)})`);
  }
  const platforms = new Set(groups.flatMap((g) => g.operatingSystems.map((os) => platformOf(os as OperatingSystem))));
  for (const [hook, docName] of Object.entries(hooks)) {
    if (docName === undefined) continue;
    const doc = hookDocs.get(docName);
    if (!doc) {
      report(at("install", "hooks", hook), `${show(docName)} is not in org.hookDocuments (defined: ${[...hookDocs.keys()].join(", ") || "none"})`);
      continue;
    }
    const covered = hookPlatforms(doc);
    const missing = [...platforms].filter((p) => !covered.includes(p));
    if (missing.length > 0) {
      report(
        at("install", "hooks", hook),
        `${show(docName)} has no commands for ${missing.join(", ")}, but the window patches ${missing.join(", ")} instances`,
      );
    }
  }
}

function checkHookDocumentNames(org: OrgInput | undefined, report: Report) {
  const seen = new Map<string, number>();
  (org?.hookDocuments ?? []).forEach((doc, i) => {
    if (!doc) return;
    if (seen.has(doc.name)) report(["org", "hookDocuments", i, "name"], `${show(doc.name)} is already defined at org.hookDocuments[${seen.get(doc.name)}]`);
    seen.set(doc.name, i);
  });
}

/** Approval requests must reach someone, and a link must not expire before the next reminder brings a new one. */
function checkApproval(config: OrgConfigInput, envNames: readonly string[], report: Report) {
  const org = config.org;
  const linkValidityHours = org?.approval?.linkValidityHours ?? approvalDefaults.linkValidityHours;
  const enabled = envNames.filter((name) => {
    const approval = config.environments[name]?.approval;
    return approval !== undefined && approval.enabled !== false;
  });
  for (const name of enabled) {
    const approval = config.environments[name]!.approval!;
    const interval = approval.reminderIntervalHours ?? approvalDefaults.reminderIntervalHours;
    if (typeof interval === "number" && typeof linkValidityHours === "number" && interval > linkValidityHours) {
      report(
        [name, "approval", "reminderIntervalHours"],
        `${interval} is longer than org.approval.linkValidityHours (${linkValidityHours}); a link would expire before the next reminder brings a new one`,
      );
    }
    if ((approval.approverEmails ?? []).length === 0 && org?.email?.senderAddress === undefined) {
      report(
        [name, "approval", "approverEmails"],
        "is empty and org.email.senderAddress is not set, so nobody would receive approval requests; add approvers, or a sender address to mail instance owners",
      );
    }
  }
  if (enabled.length > 0 && (org?.approval?.escalationEmails ?? []).length === 0) {
    report(
      ["org", "approval", "escalationEmails"],
      `is empty, but approval is enabled in ${enabled.join(", ")}; requests nobody answers would be escalated to no one`,
    );
  }
}
