import { z } from "zod";
import { channelName } from "./compliance.js";
import { approvalTriggerSchema } from "./approval-trigger.js";
import { rebootOptions } from "./maintenance-window.js";
import { show } from "./messages.js";
import { emailAddress, integerIn, uniqueList } from "./primitives.js";

export const onNoResponseValues = ["reject", "approve"] as const;
export const duringFreezeValues = ["wait", "end"] as const;
/** The evaluation windows AWS WAF's rate-based rules accept. */
export const rateWindowSecondsValues = [60, 120, 300, 600] as const;

/** Defaults the cross-field checks need too (they run on the raw input). */
export const approvalDefaults = { reminderIntervalHours: 24, linkValidityHours: 72 } as const;

/**
 * The approval workflow of one environment: instances tagged `patch-policy=patch-on-approval` are
 * patched after their owner (or an approver) approves.
 */
export const environmentApprovalSchema = z.strictObject({
  /** @default true */
  /** Turn the workflow off for the environment and keep its settings. */
  enabled: z.boolean().default(true),
  /** E-mail subscribers of the central approvals topic for this environment's requests and outcomes. @default [] */
  approverEmails: uniqueList(emailAddress, "approverEmails").default([]),
  /**
   * Ask only when the instance misses (or failed to install) a patch of these severities or
   * classifications; otherwise the run is recorded "not urgent" and nobody is asked.
   * @default - every non-compliance asks
   */
  trigger: approvalTriggerSchema.optional(),
  /** How long a request waits for an answer before the next reminder (or, after the last, escalation). @default 24 */
  reminderIntervalHours: integerIn(1, 168, "an interval in hours").default(approvalDefaults.reminderIntervalHours),
  /** Reminders after the first request. @default 2 */
  reminderCount: integerIn(0, 10, "a reminder count").default(2),
  /** What happens when nobody answers, after escalation: "reject" leaves the instance unpatched. @default "reject" */
  onNoResponse: z.enum(onNoResponseValues).default("reject"),
  /** Take an AMI of the instance (without reboot) before patching it. @default false */
  backupBeforePatch: z.boolean().default(false),
  /** Longest wait for the AMI to become available; after it the instance is not patched. @default 120 */
  backupTimeoutMinutes: integerIn(10, 1440, "a timeout in minutes").default(120),
  /**
   * RebootOption for instances whose patch group's window only scans; the others are patched with
   * their window's install.rebootOption, and a different value here is an error. @default "RebootIfNeeded"
   */
  rebootOption: z.enum(rebootOptions).default("RebootIfNeeded"),
  /**
   * What an approved patching does while a change freeze is in effect (`org.freezes`, `freezes`):
   * "wait" until the freeze ends (checked again when it ends, waiting at most a week at a time
   * and at most 10 times), "end" records the outcome "frozen" and patches nothing. @default "wait"
   */
  duringFreeze: z.enum(duringFreezeValues).default("wait"),
  /** Longest wait for the patch command to finish (reboot included). @default 180 */
  patchTimeoutMinutes: integerIn(10, 1440, "a timeout in minutes").default(180),
  /**
   * Teams or Slack channels (names from `org.channels`) the request and each reminder are posted
   * to, with a button that opens the signed link. Whoever reads the channel holds the link: without
   * `org.approval.jwt.approversOnly`, set `channelMembersMayDecide` to say that is intended. @default []
   */
  channels: uniqueList(channelName, "channels").default([]),
  /**
   * Acknowledges that, without `org.approval.jwt.approversOnly`, every member of the `channels`
   * may decide a request (the link decides, as a mailed link does); required then for `channels`.
   * Has no effect with `approversOnly`, which lets only approvers and the owner decide. @default false
   */
  channelMembersMayDecide: z.boolean().default(false),
});

/** AWS tag keys: 1-128 of letters, digits, spaces and `_.:/=+-@`, not starting with `aws:`. */
const httpsUrl = z.string().refine(
  (value) => {
    try {
      return new URL(value).protocol === "https:";
    } catch {
      return false;
    }
  },
  { error: (i) => `${show(i.input)} is not an https URL (e.g. "https://login.example.com/oauth2/default")` },
);

/** A base URL pages hang below: https, no query or fragment; a trailing slash is dropped. */
const pageBaseUrl = z
  .string()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === "https:" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
      } catch {
        return false;
      }
    },
    { error: (i) => `${show(i.input)} is not an https base URL without query, fragment or credentials (e.g. "https://approvals.example.com")` },
  )
  .transform((value) => value.replace(/\/+$/, ""));

/** Organization-wide settings of the approval workflow. */
export const orgApprovalSchema = z.strictObject({
  /** How long one e-mailed approval link is valid; every reminder carries a fresh link. @default 72 */
  linkValidityHours: integerIn(1, 168, "a validity in hours").default(approvalDefaults.linkValidityHours),
  /** E-mail subscribers of the escalation topic (requests nobody answered). @default [] */
  escalationEmails: uniqueList(emailAddress, "escalationEmails").default([]),
  /**
   * JWT authorizer on the decision route (POST): API Gateway then accepts a decision only with
   * `Authorization: Bearer <JWT>` from this issuer and audience, and the approval record keeps the
   * token's `iss` and `sub`, and its `email` only when `email_verified` is true. Without it,
   * patchline records the source IP and user agent.
   */
  jwt: z
    .strictObject({
      /** The identity provider's issuer URL (https). */
      issuer: httpsUrl,
      /** Audiences the token must name (at least one). */
      audience: uniqueList(z.string().min(1).max(256), "audience").min(1),
      /**
       * Accept a decision only from a verified e-mail address (`email_verified` true) that is in
       * the request's environment's `approverEmails` or is the instance's owner tag, when that is an
       * address in an owner domain (`org.email.ownerDomains`). @default false
       */
      approversOnly: z.boolean().default(false),
    })
    .optional(),
  /**
   * The base URL people open approval pages at when something serves them under its own address:
   * the authenticating proxy that adds the JWT (`jwt`), or a custom domain in front of the API or
   * the edge. Links start with it, and only pages of its origin may decide (the callback compares
   * the browser's `Origin` with it). @default - the edge's URL when `edge` is set, else the API's
   */
  pageUrl: pageBaseUrl.optional(),
  /**
   * A CloudFront distribution with an AWS WAF web ACL in front of the approval API, whose rate-based
   * rule blocks an IP address that sends too many requests, so that one client cannot use up the
   * API's shared throttling for every approver. Links then point at the distribution, and only its
   * pages may decide. The API keeps its own throttling. @default - none: links point at the API
   */
  edge: z
    .strictObject({
      /** Requests one IP address may send within `rateWindowSeconds` before WAF blocks it (AWS WAF allows 10 to 2,000,000,000). @default 100 */
      rateLimitPerIp: integerIn(10, 2_000_000_000, "a request count per IP address").default(100),
      /** The window WAF counts an IP address's requests in, in seconds. @default 300 */
      rateWindowSeconds: z
        .number()
        .refine((n) => (rateWindowSecondsValues as readonly number[]).includes(n), {
          error: (i) => `${show(i.input)} is not a WAF rate window; allowed: ${rateWindowSecondsValues.join(", ")} (seconds)`,
        })
        // the allowed values, for the generated configuration reference (a refinement has no JSON Schema of its own)
        .meta({ enum: [...rateWindowSecondsValues] })
        .default(300),
    })
    .optional(),
  /** Days an approval record (the audit trail) stays in the approvals table. @default 400 */
  recordRetentionDays: integerIn(30, 3650, "a retention in days").default(400),
});

export type EnvironmentApproval = z.output<typeof environmentApprovalSchema>;
export type OrgApproval = z.output<typeof orgApprovalSchema>;
export type OnNoResponse = (typeof onNoResponseValues)[number];
