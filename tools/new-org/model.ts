import type { EnvironmentInput, OperatingSystem, OrgConfigInput, OrgInput } from "../../environments/schema/index.js";
import { baselineTemplates } from "./defaults.js";

export interface ScaffoldAccount {
  readonly name: string;
  readonly id: string;
}

/** Everything a new organization is made from: the command line, defaults filled in. */
export interface ScaffoldOptions {
  /** `o-…` */
  readonly organizationId: string;
  /** The central tooling account. */
  readonly central: { readonly accountId: string; readonly accountName: string };
  /** Home region: the central account's, the state bucket's and every environment's. */
  readonly region: string;
  /** Environment names in promotion order. */
  readonly environments: readonly string[];
  readonly namePrefix: string;
  readonly deployRoleName: string;
  /** @default - planRoleName is written commented out */
  readonly planRoleName?: string;
  readonly stateBucket: string;
  /** IANA zone of the maintenance windows and the compliance run. */
  readonly timeZone: string;
  /** OSes with an active baseline (the others are written commented out); every patch group runs them. */
  readonly operatingSystems: readonly OperatingSystem[];
  /** Member accounts by environment; environments without any start with `accounts: []`. */
  readonly accounts: Readonly<Record<string, readonly ScaffoldAccount[]>>;
}

const weekdays = [
  { cron: "TUE", name: "Tuesday" },
  { cron: "WED", name: "Wednesday" },
  { cron: "THU", name: "Thursday" },
  { cron: "FRI", name: "Friday" },
  { cron: "SAT", name: "Saturday" },
  { cron: "SUN", name: "Sunday" },
  { cron: "MON", name: "Monday" },
] as const;

/** Days after release a patch is approved: a week more per step of the promotion order. */
export const approveAfterDaysAt = (index: number): number => Math.min(7 * index, 360);

/** The promotion the environment files offer commented out: the schema's defaults, spelled out, from the environment before. */
export const promotionExample = (from: string): NonNullable<EnvironmentInput["promotion"]> => ({
  from,
  minInstances: 2,
  maxFailureRate: "0%",
  soakDays: 3,
  maxRecordAgeDays: 35,
  mode: "baseline",
});

/** The patch SLA org.ts offers commented out: days since release per severity, as in the example organization. */
export const slaExample: NonNullable<NonNullable<OrgInput["compliance"]>["sla"]> = { Critical: 14, Important: 30 };

/**
 * The QuickSight dashboard org.ts offers commented out: groups of the central account (in the home
 * region, which may differ from QuickSight's identity region), refreshed after the weekday run.
 */
export const quickSightExample = (
  options: Pick<ScaffoldOptions, "central" | "region" | "timeZone">,
): NonNullable<NonNullable<OrgInput["compliance"]>["quicksight"]> => ({
  authors: [`arn:aws:quicksight:${options.region}:${options.central.accountId}:group/default/patchline-platform-team`],
  viewers: [`arn:aws:quicksight:${options.region}:${options.central.accountId}:group/default/security-governance`],
  importMode: "SPICE",
  refresh: { timeOfDay: "09:00", timeZone: options.timeZone },
});

/**
 * The weekly window of the environment at `index` of the promotion order (and when it runs, in words): the first one on
 * Tuesday at 10:00, while people are around to notice, each later one a day later at 21:00,
 * outside business hours. Every environment thus installs at least a day after the one before.
 */
export function windowAt(options: ScaffoldOptions, index: number) {
  const environment = options.environments[index]!;
  const day = weekdays[index % weekdays.length]!;
  const hour = index === 0 ? 10 : 21;
  const rate = index === 0 ? { maxConcurrency: "50%", maxErrors: "25%" } : { maxConcurrency: "25%", maxErrors: "10%" };
  const when = `${day.name} ${String(hour).padStart(2, "0")}:00 ${options.timeZone}`;
  return {
    when,
    window: {
      name: `${environment}-weekly`,
      description: `${environment} fleet, every ${when}`,
      schedule: `cron(0 ${hour} ? * ${day.cron} *)`,
      timeZone: options.timeZone,
      durationHours: 3,
      cutoffHours: 1,
      scan: { ...rate },
      install: { ...rate, rebootOption: "RebootIfNeeded" as const },
    },
  };
}

export const patchGroupName = (environment: string): string => `${environment}-servers`;

/** The organization settings the scaffold writes (its active part; the optional features are comments). */
export function scaffoldOrg(options: ScaffoldOptions): OrgInput {
  return {
    namePrefix: options.namePrefix,
    organizationId: options.organizationId,
    central: { accountName: options.central.accountName, accountId: options.central.accountId, region: options.region },
    deployRoleName: options.deployRoleName,
    ...(options.planRoleName === undefined ? {} : { planRoleName: options.planRoleName }),
    promotionOrder: [...options.environments],
    stateBackend: { bucket: options.stateBucket, region: options.region, keyPrefix: options.namePrefix },
    compliance: { schedule: { expression: "cron(0 7 ? * MON-FRI *)", timeZone: options.timeZone } },
    baselines: Object.fromEntries(options.operatingSystems.map((os) => [os, structuredClone(baselineTemplates[os])])),
  };
}

/** The environment at `index` of the promotion order (its active part). */
export function scaffoldEnvironment(options: ScaffoldOptions, index: number): EnvironmentInput {
  const environment = options.environments[index]!;
  const { window } = windowAt(options, index);
  return {
    accounts: (options.accounts[environment] ?? []).map((a) => ({ name: a.name, id: a.id })),
    regions: [options.region],
    approveAfterDays: approveAfterDaysAt(index),
    patchGroups: [{ name: patchGroupName(environment), operatingSystems: [...options.operatingSystems], maintenanceWindow: window.name }],
    maintenanceWindows: [window],
  };
}

/** The whole organization the scaffold writes, as `environments/index.ts` will export it. */
export function scaffoldOrganization(options: ScaffoldOptions): OrgConfigInput {
  return {
    org: scaffoldOrg(options),
    environments: Object.fromEntries(options.environments.map((name, index) => [name, scaffoldEnvironment(options, index)])),
  };
}
