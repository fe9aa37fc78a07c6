import { z } from "zod";
import { environmentName } from "./primitives.js";
import { baselineDefinitionSchema, hookDocumentSchema, perOperatingSystem } from "./patching.js";
import { accountId, accountName, emailAddress, integerIn, logRetentionDays, region, tagKey, uniqueList } from "./primitives.js";
import { show } from "./messages.js";
import { ownerDomain } from "./owner-mail.js";
import { orgApprovalSchema } from "./approval.js";
import { centralRoleArns } from "./key-roles.js";
import { freezesSchema } from "./freezes.js";
import { channelName, channelSchema, complianceSchema } from "./compliance.js";
import { DEFAULT_PATCH_GROUP_TAG_KEY, PATCH_GROUP_TAG_KEYS } from "../../contracts/tags.js";
import { DEFAULT_MAX_REGIONS_PER_STACK } from "../../contracts/stack-layout.js";

const iamRoleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: (i) => `${show(i.input)} is not an IAM role name (1-64 of letters, digits, +=,.@_-)` });

export const orgSchema = z.strictObject({
  /** Prefix of every physical name patchline creates (`patchline-maintenance-window`, ...). */
  namePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, {
    error: (i) => `${show(i.input)} is not a valid name prefix: 3-20 lowercase letters, digits and hyphens, starting with a letter`,
  }),
  /** AWS Organizations id; the central bucket and bus accept writes from this organization only. */
  organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, { error: (i) => `${show(i.input)} is not an AWS Organizations id (e.g. "o-a1b2c3d4e5")` }),
  /** The central (tooling) account that runs the workflows and holds the log bucket. */
  central: z.strictObject({
    /** The tooling account's name in patchline's messages and reports. */
    accountName,
    /** Its 12-digit account id. */
    accountId,
    /** Its home region: the central stack's provider and the workflows run there. */
    region,
  }),
  /** Role in every account (central and members) that Terraform assumes to deploy. */
  deployRoleName: iamRoleName,
  /**
   * Read-only role in every account that pull-request plans assume instead of the deploy role
   * (synth with `PATCHLINE_ROLE=plan`), so code under review never holds deploy rights.
   * @default - none: plans with PATCHLINE_ROLE=plan are refused
   */
  planRoleName: iamRoleName.optional(),
  /**
   * Roles of the central account that administer patchline's KMS keys (the central key and the
   * approval-link signing key) besides the deploy role, which always does (Terraform manages the
   * keys' policies). Administration only: describe, enable, disable, tag, change the policy,
   * schedule deletion; no role is granted encrypt, decrypt or link signing this way.
   * @default - none: only the central account's deploy role administers the keys
   */
  keyAdministratorRoleArns: centralRoleArns("keyAdministratorRoleArns"),
  /**
   * Roles of the central account whose people read what patchline encrypts with the central key
   * (reports and Athena results in S3, the approvals table, execution history, dead letters) and
   * put the chat channels' webhook secrets: decrypt and encrypt through those services only.
   * @default - none: only patchline's own roles and the deploy role use the central key
   */
  keyUserRoleArns: centralRoleArns("keyUserRoleArns"),
  /**
   * Roles of the central account whose people may put an instance back on its pre-patch backup
   * (`npm run restore`): each member account with backups gets a restore operator role they may
   * assume, which may only start patchline's restore runbook and find backups.
   * @default - none: the restore operator role is not created and `npm run restore` cannot run
   */
  restoreOperatorRoleArns: centralRoleArns("restoreOperatorRoleArns"),
  /**
   * Change freezes of every environment (besides each environment's own `freezes`): nothing is
   * patched from `start` until `end` (docs/safety-nets.md#change-freezes). @default []
   */
  freezes: freezesSchema,
  /** Environments in promotion order: approve-after-days may not decrease along it. */
  promotionOrder: uniqueList(environmentName, "promotionOrder").min(1),
  /** Remote state: one S3 object per stack, S3-native locking. */
  stateBackend: z.strictObject({
    /** The S3 bucket that holds every stack's state (create it before the first deploy). */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: (i) => `${show(i.input)} is not an S3 bucket name` }),
    /** The state bucket's region. */
    region,
    /** Key prefix of the state objects: `<keyPrefix>/<stack>.tfstate`. @default "patchline" */
    keyPrefix: z
      .string()
      .regex(/^[a-zA-Z0-9!_.*'()/-]{1,200}$/)
      .default("patchline"),
  }),
  /** Tags on every resource (provider default tags). */
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  /** One baseline template per OS the fleet runs. */
  baselines: perOperatingSystem(baselineDefinitionSchema),
  /** SSM Command documents (schema 2.2) that windows run as hooks of AWS-RunPatchBaselineWithHooks. */
  hookDocuments: z.array(hookDocumentSchema).default([]),
  /** How long patch output and logs are kept. */
  logs: z
    .strictObject({
      /** Days Run Command output is kept in the central bucket. @default 365 */
      outputRetentionDays: integerIn(1, 3650, "a retention in days").default(365),
      /** Days a replaced (noncurrent) object version is kept. @default 30 */
      noncurrentVersionRetentionDays: integerIn(1, 365, "a retention in days").default(30),
      /** Retention of every CloudWatch log group patchline creates. @default 365 */
      logGroupRetentionDays: logRetentionDays.default(365),
    })
    .default({ outputRetentionDays: 365, noncurrentVersionRetentionDays: 30, logGroupRetentionDays: 365 }),
  /**
   * SES identity for mail to instance owners (the owner tag's address). Without it, owner mail is
   * not sent and requests go to the SNS topics only.
   */
  email: z
    .strictObject({
      /** A verified SES identity in the central account and region. */
      senderAddress: emailAddress,
      /**
       * Mail domains an owner tag's address must be in to be mailed (`example.com`, or
       * `*.example.com` for its subdomains): whoever may tag an instance chooses its owner tag, and
       * owners get approval links. Other addresses are not mailed; the digest lists them as
       * invalid owners. @default - the domains of the sender, approver, escalation and notification addresses
       */
      ownerDomains: uniqueList(ownerDomain, "org.email.ownerDomains").min(1, { error: "is empty: list at least one domain, or leave it out" }).optional(),
    })
    .optional(),
  /** Subscribers of the central notifications topic. */
  notifications: z
    .strictObject({
      /** Addresses subscribed to the central notifications topic (alarms, dead letters, failed workflows). */
      emailSubscribers: z.array(emailAddress).default([]),
    })
    .default({ emailSubscribers: [] }),
  /**
   * Instance tag naming its owner. An e-mail address there gets approval requests and
   * impending-patch notices directly (through SES, `email.senderAddress`); digests and reports show
   * the value. @default "Owner"
   */
  ownerTagKey: tagKey.default("Owner"),
  /**
   * Instance tag holding the patch group: `Patch Group`, or `PatchGroup` where instances allow
   * tags in their instance metadata (Patch Manager then requires the key without a space). Windows
   * target it, the coverage rules check it, the collector and notices read it.
   * @default "Patch Group"
   */
  patchGroupTagKey: z.enum(PATCH_GROUP_TAG_KEYS).default(DEFAULT_PATCH_GROUP_TAG_KEY),
  /**
   * Regions a member account's stack holds. An account in more regions gets each further region
   * in a stack of its own (`<env>-<account>-<region>`): a stack's plan needs about 0.24 GB per
   * region, so six regions plan in about 1.7 GB. Raising it above an account's region count keeps
   * the account in one stack. @default 6
   */
  maxRegionsPerStack: integerIn(1, 64, "a number of regions").default(DEFAULT_MAX_REGIONS_PER_STACK),
  /** Organization-wide settings of the approval workflow (each environment enables it itself). */
  approval: orgApprovalSchema.default({ linkValidityHours: 72, escalationEmails: [], recordRetentionDays: 400 }),
  /** Notification channels by name (Teams, Slack, e-mail), referenced by the compliance settings. */
  channels: z.record(channelName, channelSchema).default({}),
  /** The scheduled organization-wide compliance run and its digest. */
  compliance: complianceSchema,
});

export type Org = z.output<typeof orgSchema>;
export type OrgInput = z.input<typeof orgSchema>;
