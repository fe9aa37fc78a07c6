import { z } from "zod";
import { show } from "./messages.js";
import { emailAddress, environmentName, integerIn, region, schedule, timeZone, uniqueList } from "./primitives.js";

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
