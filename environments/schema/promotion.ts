import { z } from "zod";
import { show } from "./messages.js";
import { environmentName, integerIn } from "./primitives.js";
import { isCalendarDate } from "../../contracts/promotion-rules.js";

/** A calendar date as Patch Manager's ApproveUntilDate takes it (YYYY-MM-DD), and a real one. */
export const calendarDate = z.string().refine(isCalendarDate, {
  error: (i) => `${show(i.input)} is not a date (YYYY-MM-DD, e.g. "2026-11-05")`,
});

/** A failure rate in percent, written as patchline writes rates elsewhere ("2%", "0.5%"). */
const failureRate = z
  .string()
  .regex(/^(100|[1-9]?[0-9])(\.[0-9]{1,2})?%$/, {
    abort: true,
    error: (i) => `${show(i.input)} is not a failure rate: a percentage from "0%" to "100%", e.g. "2%" or "0.5%"`,
  })
  .refine((v) => Number.parseFloat(v) <= 100, { error: (i) => `${show(i.input)} is more than 100%` })
  .transform((v) => Number.parseFloat(v));

/** The two ways Patch Manager's approval rules approve by date (one or the other per rule). */
export const PROMOTION_MODES = ["baseline", "install-override-list"] as const;

/**
 * Evidence-gated promotion into this environment: its baselines approve what passed `from`, as
 * `npm run promote` records it in `environments/promotions/<env>.json` (docs/promotion.md).
 */
export const promotionSchema = z.strictObject({
  /** The environment whose evidence this one's patches must pass; an earlier one in `org.promotionOrder`. */
  from: environmentName,
  /** A patch is promoted only when it installed on at least this many instances of `from`. @default 2 */
  minInstances: integerIn(1, 100000, "an instance count").default(2),
  /** …and failed on at most this share of the instances that tried it. @default "0%" */
  maxFailureRate: failureRate.default(0),
  /** …and its first install in `from` was at least this many days before the evidence was collected. @default 3 */
  soakDays: integerIn(0, 90, "a number of days").default(3),
  /** Synth refuses a record written longer ago than this (a promotion goes stale with the next Patch Tuesday). @default 35 */
  maxRecordAgeDays: integerIn(1, 366, "a number of days").default(35),
  /**
   * `baseline`: the record sets the rules' approve-until date and rejects what it holds back.
   * `install-override-list`: also hands the install task the promoted patches as its
   * InstallOverrideList, so exactly those install (docs/promotion.md, "Exact and approximate"). @default "baseline"
   */
  mode: z
    .enum(PROMOTION_MODES, { error: (i) => `${show(i.input)} is not allowed; allowed: ${PROMOTION_MODES.map((m) => show(m)).join(", ")}` })
    .default("baseline"),
});

export type Promotion = z.output<typeof promotionSchema>;
