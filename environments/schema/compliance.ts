import { z } from "zod";
import { show } from "./messages.js";
import { emailAddress, environmentName, integerIn, region, schedule, timeZone, uniqueList } from "./primitives.js";
import { SLA_SEVERITIES } from "../../contracts/patch-sla.js";
import { quickSightSchema } from "./quicksight.js";

/**
 * Names of notification channels: they end up in secret and topic names
 * (`<prefix>/chat/<name>`, `<prefix>-channel-<name>`).
 */
export const channelName = z.string().regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, {
  error: (i) => `${show(i.input)} is not a valid channel name: 3-32 lowercase letters, digits and hyphens, starting with a letter`,
});

export const channelTypes = ["teams", "slack", "email"] as const;

/**
 * A place notifications go. Teams and Slack channels get a Secrets Manager secret (created without a
 * value: you put the webhook URL in it once); an e-mail channel is an SNS topic with its subscribers.
 */
export const channelSchema = z.strictObject({
  /** Where the channel posts: a Teams or Slack webhook (the URL goes into a secret after the first deploy), or e-mail. */
  type: z.enum(channelTypes),
  /** E-mail channels only: the topic's subscribers. */
  subscribers: z.array(emailAddress).optional(),
});

/** Accounts of an organizational unit (and its child units), listed when a compliance run starts. */
export const organizationalUnitSchema = z.strictObject({
  /** The organizational unit's id; its child units are included. */
  id: z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, { error: (i) => `${show(i.input)} is not an organizational unit id (e.g. "ou-ab12-cd34ef56")` }),
  /** The environment the digest files these accounts under (a configured environment). */
  environment: environmentName,
  /** Regions the unit's accounts are collected in. @default - the environment's regions */
  regions: uniqueList(region, "regions").min(1).optional(),
});

/**
 * Days a missing patch may stay missing, per severity, counted from its release date. Keys are the
 * severities as Patch Manager reports them on a patch, in its spelling: a key that differs only in
 * case is named with the right spelling.
 */
export const patchSlaSchema = z
  .partialRecord(z.enum(SLA_SEVERITIES), integerIn(1, 3650, "a number of days"), {
    // a partial record over an enum reports extra keys as unrecognized_keys (zod's types omit it)
    error: (issue) => {
      const raw = issue as z.core.$ZodRawIssue;
      if (raw.code !== "unrecognized_keys") return undefined;
      const named = raw.keys.map((key) => {
        const spelled = SLA_SEVERITIES.find((s) => s.toLowerCase() === key.toLowerCase());
        return spelled ? `${show(key)} (Patch Manager spells it ${show(spelled)})` : show(key);
      });
      return `unknown severit${raw.keys.length > 1 ? "ies" : "y"} ${named.join(", ")}; allowed: ${SLA_SEVERITIES.join(", ")} (Windows: Critical, Important, Moderate, Low, Unspecified; Linux: Critical, Important, Medium, Low)`;
    },
  })
  .refine((sla) => Object.keys(sla).length > 0, {
    error: `names no severity; give days for at least one of ${SLA_SEVERITIES.join(", ")}, or leave sla out for no SLA`,
    // an unknown severity is reported as such, not as an empty SLA as well
    when: (payload) => payload.issues.length === 0,
  });

const complianceDefaults = {
  schedule: { expression: "cron(0 7 ? * MON-FRI *)", timeZone: "UTC" },
  maxConcurrency: 50,
  toleratedFailurePercentage: 5,
  allClear: false,
  organizationalUnits: [],
  digestChannels: [],
  failureChannels: [],
  digestInstanceLimit: 200,
  reportRetentionDays: 400,
  evidenceRetentionDays: 400,
  trendRuns: 30,
  historyRetentionDays: 1095,
};

/** The organization-wide compliance run: when it runs, how wide it fans out, where its digest goes. */
export const complianceSchema = z
  .strictObject({
    /** When the compliance run starts: an EventBridge Scheduler expression in its time zone. @default cron(0 7 ? * MON-FRI *) UTC */
    schedule: z
      .strictObject({
        /** A `cron(...)` or `rate(...)` expression. */
        expression: schedule,
        /** IANA time zone the cron expression is evaluated in. */
        timeZone,
      })
      .default(complianceDefaults.schedule),
    /** Account-regions collected at once: child executions of the run's Distributed Map (its MaxConcurrency). @default 50 */
    maxConcurrency: integerIn(1, 1000, "a concurrency").default(complianceDefaults.maxConcurrency),
    /**
     * Percent of account-regions whose collection may fail outright (beyond being recorded as
     * unreachable) before the run stops without a report (the Distributed Map's ToleratedFailurePercentage). @default 5
     */
    toleratedFailurePercentage: integerIn(0, 100, "a percentage").default(complianceDefaults.toleratedFailurePercentage),
    /** Also send an "all clear" digest when nothing is non-compliant, pending reboot, uncovered or unreachable. @default false */
    allClear: z.boolean().default(complianceDefaults.allClear),
    /** Units whose accounts are collected besides the configured accounts (needs Organizations read access, see README). @default [] */
    organizationalUnits: z.array(organizationalUnitSchema).default(complianceDefaults.organizationalUnits),
    /** Channels (names from `channels`) the digest goes to. @default [] - reports only */
    digestChannels: uniqueList(channelName, "digestChannels").default(complianceDefaults.digestChannels),
    /** Channels failed maintenance windows and patch commands are reported to. @default [] */
    failureChannels: uniqueList(channelName, "failureChannels").default(complianceDefaults.failureChannels),
    /** Instances listed in a digest, worst first; the rest are counted and left to the report. @default 200 */
    digestInstanceLimit: integerIn(1, 2000, "a number of instances").default(complianceDefaults.digestInstanceLimit),
    /** Days reports and run results are kept. @default 400 */
    reportRetentionDays: integerIn(1, 3650, "a retention in days").default(complianceDefaults.reportRetentionDays),
    /**
     * Days the patch evidence of environments others are promoted from is kept, write-once: each
     * object is locked this long in S3 Object Lock's compliance mode (nobody, the root user included,
     * can delete or change it before then) and expires after. Lowering it affects new evidence only. @default 400
     */
    evidenceRetentionDays: integerIn(30, 3650, "a retention in days").default(complianceDefaults.evidenceRetentionDays),
    /** Runs the report's trend chart shows per environment, this one included (the change since the last run compares with the one before). @default 30 */
    trendRuns: integerIn(2, 365, "a number of runs").default(complianceDefaults.trendRuns),
    /**
     * Days each run's history (one line per environment and per account-region, `history/` in the
     * compliance data bucket, Athena tables `history_environments` and `history_targets`) is kept;
     * apart from the reports, so trends outlive them. @default 1095
     */
    historyRetentionDays: integerIn(30, 3650, "a retention in days").default(complianceDefaults.historyRetentionDays),
    /**
     * Patch SLA: days per severity a missing patch may stay missing, from its release date, e.g.
     * `{ Critical: 14, Important: 30 }`. Instances with an older missing or failed patch are in
     * breach (digest, report, Athena); the run then reads every non-compliant instance's missing
     * patches. Release dates are known for Windows patches only (see docs/patch-sla.md). @default - no SLA
     */
    sla: patchSlaSchema.optional(),
    /**
     * An Amazon QuickSight dashboard over the run history and missing patches, as code: Athena data
     * source, data sets, analysis and dashboard, shared with QuickSight users and groups. Needs a
     * QuickSight Enterprise subscription in the central account (docs/dashboard.md). @default - none
     */
    quicksight: quickSightSchema.optional(),
  })
  .default(complianceDefaults);

const environmentComplianceDefaults = { tagCompliance: false, noticeLeadHours: 24, noticeChannels: [] };

/** Per environment: coverage rules in its accounts and notices before its windows patch. */
export const environmentComplianceSchema = z
  .strictObject({
    /**
     * AWS Config rules in every account and region of the environment: instances carry the patch group tag
     * and `patch-policy`, a `Maintenance Window` tag names a window, instances are managed by SSM.
     * Needs an AWS Config recorder in those accounts. @default false
     */
    tagCompliance: z.boolean().default(environmentComplianceDefaults.tagCompliance),
    /** Hours before a window opens that its notice goes out; 0 sends none. @default 24 */
    noticeLeadHours: integerIn(0, 168, "a lead time in hours").default(environmentComplianceDefaults.noticeLeadHours),
    /** Channels the environment's impending-patch notices go to (owners are mailed besides). @default [] */
    noticeChannels: uniqueList(channelName, "noticeChannels").default(environmentComplianceDefaults.noticeChannels),
  })
  .default(environmentComplianceDefaults);

export type Channel = z.output<typeof channelSchema>;
export type ChannelType = (typeof channelTypes)[number];
export type ComplianceSettings = z.output<typeof complianceSchema>;
export type EnvironmentCompliance = z.output<typeof environmentComplianceSchema>;
export type OrganizationalUnit = z.output<typeof organizationalUnitSchema>;
