import * as z from "zod/mini";
import { DEFAULT_PATCH_GROUP_TAG_KEY, PATCH_GROUP_TAG_KEYS } from "./tags.js";
import { describeIssues } from "./zod-issues.js";

/**
 * The organization as the central functions need it: environments, accounts, regions, windows,
 * channels. Terraform writes it to the reports bucket from the validated config (so it shows in
 * plans and outgrows no Lambda environment limit); the functions read it at cold start.
 */
const windowSchema = z.object({
  name: z.string(),
  schedule: z.string(),
  timeZone: z.string(),
  scheduleOffsetDays: z.optional(z.number()),
  startDate: z.optional(z.string()),
  endDate: z.optional(z.string()),
  durationHours: z.number(),
  enabled: z.boolean(),
  /** Patch groups the window scans and patches. */
  patchGroups: z.array(z.string()),
  /** True when the window has an install task (scan-only windows patch nothing). */
  installs: z.boolean(),
  /**
   * The command the window's install task sends, with its rate control: what an emergency run must
   * send for the window's patch groups (functions/emergency/run/plan-checks.ts). Absent for a
   * window that only scans, and in a catalog written before it existed.
   */
  installCommand: z.optional(
    z.object({
      document: z.string(),
      parameters: z.record(z.string(), z.array(z.string())),
      maxConcurrency: z.string(),
      maxErrors: z.string(),
    }),
  ),
});

const channelSchema = z.object({
  name: z.string(),
  type: z.enum(["teams", "slack", "email"]),
  /** Secret name (Teams, Slack) or topic ARN (e-mail). */
  destination: z.string(),
});

export const fleetCatalogSchema = z.object({
  version: z.literal(1),
  organizationId: z.string(),
  readerRoleName: z.string(),
  ownerTagKey: z.string(),
  /** Domains an owner tag's address must be in to be mailed; empty when owner mail is off. A catalog written before it existed mailed none. */
  ownerEmailDomains: z._default(z.array(z.string()), []),
  /** The instance tag holding the patch group; a catalog written before it existed meant "Patch Group". */
  patchGroupTagKey: z._default(z.enum(PATCH_GROUP_TAG_KEYS), DEFAULT_PATCH_GROUP_TAG_KEY),
  /** Names of the coverage rules in member accounts, by check. */
  coverageRules: z.record(z.string(), z.string()),
  channels: z.array(channelSchema),
  digestChannels: z.array(z.string()),
  failureChannels: z.array(z.string()),
  digestInstanceLimit: z.number(),
  allClear: z.boolean(),
  /** Runs the report's trend shows per environment, this one included; a catalog written before it existed meant the default. */
  trendRuns: z._default(z.number(), 30),
  /** The patch SLA, days per severity (contracts/patch-sla.ts); absent when none is configured, and in a catalog written before it existed. */
  sla: z.optional(z.record(z.string(), z.number())),
  organizationalUnits: z.array(z.object({ id: z.string(), environment: z.string(), regions: z.array(z.string()) })),
  environments: z.array(
    z.object({
      name: z.string(),
      tagCompliance: z.boolean(),
      /** Another environment is promoted from this one: the run collects its patch evidence. A catalog written before it existed collected none. */
      collectEvidence: z._default(z.boolean(), false),
      noticeLeadHours: z.number(),
      noticeChannels: z.array(z.string()),
      regions: z.array(z.string()),
      /** The account's canary wave (its name in `waves`); absent where the environment has no waves. */
      accounts: z.array(z.object({ id: z.string(), name: z.string(), regions: z.array(z.string()), wave: z.optional(z.string()) })),
      maintenanceWindows: z.array(windowSchema),
      /** Canary waves in order, the windows of each run `delayHours` later (contracts/wave-schedule.ts); none: every account at the windows' schedule. */
      waves: z._default(z.array(z.object({ name: z.string(), delayHours: z.number() })), []),
      /** The organization's and the environment's change freezes as [start, end) in UTC: runs in them patch nothing. */
      freezes: z._default(z.array(z.object({ start: z.string(), end: z.string(), reason: z.string() })), []),
    }),
  ),
});

export type FleetCatalog = z.output<typeof fleetCatalogSchema>;
export type CatalogEnvironment = FleetCatalog["environments"][number];
export type CatalogWindow = CatalogEnvironment["maintenanceWindows"][number];
export type CatalogAccount = CatalogEnvironment["accounts"][number];
export type CatalogWindowCommand = NonNullable<CatalogWindow["installCommand"]>;
export type CatalogChannel = FleetCatalog["channels"][number];

export class InvalidFleetCatalog extends Error {
  override readonly name = "InvalidFleetCatalog";
}

export function parseFleetCatalog(json: unknown): FleetCatalog {
  const result = fleetCatalogSchema.safeParse(json);
  if (!result.success)
    throw new InvalidFleetCatalog(`fleet catalog is not what this code expects (deploy the central stack again): ${describeIssues(result.error.issues)}`);
  return result.data;
}

/** The channels of a list of names, in that order; a name the catalog lacks is a deployment defect. */
export function channelsNamed(catalog: FleetCatalog, names: readonly string[]): CatalogChannel[] {
  return names.map((name) => {
    const channel = catalog.channels.find((c) => c.name === name);
    if (!channel) throw new InvalidFleetCatalog(`channel ${JSON.stringify(name)} is referenced but not in the catalog`);
    return channel;
  });
}

/** The ARN of a member account's compliance reader role. */
export const readerRoleArn = (catalog: FleetCatalog, accountId: string): string => `arn:aws:iam::${accountId}:role/${catalog.readerRoleName}`;
