import { z } from "zod";
import { environmentApprovalSchema } from "./approval.js";
import { environmentComplianceSchema } from "./compliance.js";
import { freezesSchema } from "./freezes.js";
import { maintenanceWindowSchema } from "./maintenance-window.js";
import { operatingSystem, perOperatingSystem } from "./patching.js";
import { calendarDate, promotionSchema } from "./promotion.js";
import { accountId, accountName, emailAddress, integerIn, patchGroupName, region, ssmResourceName, uniqueList } from "./primitives.js";
import { waveName, wavesSchema } from "./waves.js";

export const accountSchema = z.strictObject({
  /** Names the account's stack (`<env>-<name>`) and its state; keep it once deployed. */
  name: accountName,
  /** The 12-digit account id. */
  id: accountId,
  /** Regions of this account; overrides the environment's list. */
  regions: uniqueList(region, "regions").min(1).optional(),
  /**
   * The canary wave this account patches in (a name from the environment's `waves`); only when
   * the environment has waves. @default - the last wave
   */
  wave: waveName.optional(),
});

export const patchGroupSchema = z.strictObject({
  /** Value of the patch group tag (`org.patchGroupTagKey`). */
  name: patchGroupName,
  /** The operating systems in this group; each gets the environment's baseline for that OS. */
  operatingSystems: uniqueList(operatingSystem, "operatingSystems").min(1),
  /** The window that scans and patches this group (a name from `maintenanceWindows`). */
  maintenanceWindow: ssmResourceName,
});

const runCommandEvents = ["All", "InProgress", "Success", "TimedOut", "Cancelled", "Failed"] as const;

export const environmentSchema = z.strictObject({
  /**
   * The member accounts; each gets its own stack. May be empty while an environment is being set
   * up (a new organization, `npm run new-org`): it then renders no member stack, and its windows,
   * baselines and settings are checked all the same.
   */
  accounts: z.array(accountSchema),
  /** Regions every account of the environment is patched in, unless the account lists its own. */
  regions: uniqueList(region, "regions").min(1),
  /**
   * Auto-approve patches this many days after release; must not decrease along `org.promotionOrder`.
   * Give this or `approveUntilDate`, not both.
   */
  approveAfterDays: integerIn(0, 360, "an approve-after-days value").optional(),
  /**
   * Instead of `approveAfterDays`: auto-approve patches released on or before this date
   * (YYYY-MM-DD), as Patch Manager's approve-until date; must not increase along
   * `org.promotionOrder`. An environment with a promotion record gets the record's cut-off instead.
   */
  approveUntilDate: calendarDate.optional(),
  /** Evidence-gated promotion: approve what passed an earlier environment (docs/promotion.md). @default - not promoted */
  promotion: promotionSchema.optional(),
  /**
   * Soak time before this environment patches: each install run of its windows must come at least
   * this many days (24-hour periods) after the latest install run of the environment before it in
   * `org.promotionOrder` (with waves: from the last wave there to the first wave here). Checked
   * over the next runs by `npm run schedule-preview`, not at synth (the answer depends on the
   * date). Not allowed on the first environment. @default - not checked
   */
  minDaysAfterPrevious: integerIn(0, 180, "a number of days").optional(),
  /**
   * Canary waves: the accounts patch in these waves, in order, each wave's windows `delayHours`
   * after the first wave's (docs/safety-nets.md, "Canary waves"). The soak check
   * (`minDaysAfterPrevious`) measures from the last wave of the environment before to the first
   * wave of this one. @default - no waves: every account patches at the windows' schedule
   */
  waves: wavesSchema.optional(),
  /** Extra patches approved / rejected in this environment only, per OS. */
  approvedPatches: perOperatingSystem(z.array(z.string().min(1).max(100)).max(50)).default({}),
  /** Patches rejected in this environment only, per OS, besides the org baseline's. */
  rejectedPatches: perOperatingSystem(z.array(z.string().min(1).max(100)).max(50)).default({}),
  /** Register this environment's baselines as the default baseline per OS, for untagged instances. @default true */
  registerDefaultBaselines: z.boolean().default(true),
  /** The patch group tag values of this environment, each with its OSes and window. */
  patchGroups: z.array(patchGroupSchema).min(1),
  /** When and how the environment's patch groups are scanned and patched. */
  maintenanceWindows: z.array(maintenanceWindowSchema).min(1),
  /** Run Command status notifications of the patch tasks (SNS topic per account and region). */
  runCommandNotifications: z
    .strictObject({
      /** Run Command statuses that are published to the topic. @default ["TimedOut", "Cancelled", "Failed"] */
      events: z.array(z.enum(runCommandEvents)).min(1).default(["TimedOut", "Cancelled", "Failed"]),
      /** E-mail subscribers of each account's topic. @default [] */
      emailSubscribers: z.array(emailAddress).default([]),
    })
    .default({ events: ["TimedOut", "Cancelled", "Failed"], emailSubscribers: [] }),
  /**
   * Change freezes of this environment, besides `org.freezes`: nothing is patched from `start`
   * until `end` (docs/safety-nets.md#change-freezes). @default []
   */
  freezes: freezesSchema,
  /** The approval workflow for instances tagged `patch-policy=patch-on-approval`. @default - not enabled */
  approval: environmentApprovalSchema.optional(),
  /** Coverage rules and impending-patch notices of this environment. */
  compliance: environmentComplianceSchema,
});

export type Account = z.output<typeof accountSchema>;
export type PatchGroup = z.output<typeof patchGroupSchema>;
export type Environment = z.output<typeof environmentSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;
