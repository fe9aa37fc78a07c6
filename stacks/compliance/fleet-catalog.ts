import stringify from "json-stable-stringify";
import { accountWave, ownerEmailDomains, type ConfiguredEnvironment, type MaintenanceWindow, type OrgConfig } from "../../environments/schema/index.js";
import { coverageChecks, type CoverageCheck } from "../../contracts/compliance-model.js";
import type { FleetCatalog } from "../../contracts/fleet-catalog.js";
import { environmentFreezes } from "../../contracts/change-freeze.js";
import { windowInstallCommand } from "../member/patch-commands.js";
import type { Naming } from "../naming.js";

/** The coverage rules' names in member accounts, by check. */
export function coverageRuleNames(naming: Naming): Record<CoverageCheck, string> {
  return Object.fromEntries(Object.keys(coverageChecks).map((check) => [check, naming.configRule(check)])) as Record<CoverageCheck, string>;
}

/** The window's install command as its install task sends it, with its rate control (none for a window that only scans). */
function windowCommand(environment: ConfiguredEnvironment, window: MaintenanceWindow, naming: Naming) {
  const command = windowInstallCommand(environment, window, naming);
  if (!command || !window.install) return {};
  const parameters = Object.fromEntries(Object.entries(command.parameters).map(([name, values]) => [name, [...values]]));
  return {
    installCommand: { document: command.document, parameters, maxConcurrency: window.install.maxConcurrency, maxErrors: window.install.maxErrors },
  };
}

/**
 * The fleet catalog the central functions read (`contracts/fleet-catalog.ts`), derived from the
 * validated config only: no secrets, no webhook URLs, only names.
 */
export function fleetCatalog(config: OrgConfig, naming: Naming): FleetCatalog {
  const { org } = config;
  const compliance = org.compliance;
  return {
    version: 1,
    organizationId: org.organizationId,
    readerRoleName: naming.complianceReaderRole,
    ownerTagKey: org.ownerTagKey,
    ownerEmailDomains: ownerEmailDomains(config),
    patchGroupTagKey: org.patchGroupTagKey,
    coverageRules: coverageRuleNames(naming),
    channels: Object.entries(org.channels).map(([name, channel]) => ({
      name,
      type: channel.type,
      destination: channel.type === "email" ? naming.channelTopicArn(name) : naming.channelSecret(name),
    })),
    digestChannels: [...compliance.digestChannels],
    failureChannels: [...compliance.failureChannels],
    digestInstanceLimit: compliance.digestInstanceLimit,
    allClear: compliance.allClear,
    trendRuns: compliance.trendRuns,
    ...(compliance.sla && { sla: { ...compliance.sla } }),
    organizationalUnits: compliance.organizationalUnits.map((unit) => ({
      id: unit.id,
      environment: unit.environment,
      regions: [...(unit.regions ?? config.environments.find((e) => e.name === unit.environment)!.regions)],
    })),
    environments: config.environments.map((env) => ({
      name: env.name,
      tagCompliance: env.compliance.tagCompliance,
      // another environment's promotion weighs this one's patching: the compliance run collects its evidence
      collectEvidence: config.environments.some((e) => e.promotion?.from === env.name),
      noticeLeadHours: env.compliance.noticeLeadHours,
      noticeChannels: [...env.compliance.noticeChannels],
      regions: [...env.regions],
      accounts: env.accounts.map((a) => ({
        id: a.id,
        name: a.name,
        regions: [...(a.regions ?? env.regions)],
        ...(env.waves && { wave: accountWave(env, a)!.name }),
      })),
      // impending-patch notices announce each wave's runs and none inside a freeze
      waves: (env.waves ?? []).map((w) => ({ name: w.name, delayHours: w.delayHours })),
      freezes: environmentFreezes(org.freezes, env.name, env.freezes).map((f) => ({ start: f.start, end: f.end, reason: f.reason })),
      maintenanceWindows: env.maintenanceWindows.map((w) => ({
        name: w.name,
        schedule: w.schedule,
        timeZone: w.timeZone,
        scheduleOffsetDays: w.scheduleOffsetDays,
        startDate: w.startDate,
        endDate: w.endDate,
        durationHours: w.durationHours,
        enabled: w.enabled,
        patchGroups: env.patchGroups.filter((g) => g.maintenanceWindow === w.name).map((g) => g.name),
        installs: w.install !== undefined,
        ...windowCommand(env, w, naming),
      })),
    })),
  };
}

/**
 * The catalog object's content: stable key order, one line (Terraform renders a string of many
 * lines line by line in a plan, slowly at 10,000 accounts; one line of JSON it shows as a JSON diff).
 */
export const fleetCatalogJson = (config: OrgConfig, naming: Naming): string => stringify(fleetCatalog(config, naming)) ?? "";
