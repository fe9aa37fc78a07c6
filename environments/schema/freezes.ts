import { z } from "zod";
import { freezeInstant, isCalendarDate, isFreezeEnd } from "../../contracts/change-freeze.js";
import { show } from "./messages.js";
import { isIanaTimeZone, timeZone } from "./primitives.js";

/** The most freezes one list holds: the Change Calendar document of an environment holds the org's and its own (64 KB). */
export const MAX_FREEZES = 100;

/** One end of a freeze: a date (a whole day in the freeze's `timeZone`) or a timestamp with offset. */
const freezeEnd = z.string().refine(isFreezeEnd, {
  error: (i) =>
    `${show(i.input)} is neither a date (e.g. "2026-12-18", a whole day in the given timeZone) nor an ISO-8601 timestamp with offset (e.g. "2026-12-18T17:00:00-06:00")`,
});

/**
 * A change freeze: nothing is patched from `start` until `end` (a date as `end` includes that
 * day). The maintenance windows' install runbook reads the freezes from the account's Change
 * Calendar and ends without patching; the approval workflow waits or ends (`approval.duringFreeze`).
 */
export const freezeSchema = z
  .strictObject({
    /** First day (in `timeZone`) or moment of the freeze: `2026-12-18` or `2026-12-18T17:00:00-06:00`. */
    start: freezeEnd,
    /** Last day (in `timeZone`, included) or the moment the freeze ends: `2027-01-03` or `2027-01-04T06:00:00+01:00`. */
    end: freezeEnd,
    /**
     * IANA time zone whose midnights bound a date given as `start` or `end` (DST-correct), e.g. the
     * windows' `US/Central`. Required when an end is a date; a timestamp keeps its own offset.
     */
    timeZone: timeZone.optional(),
    /** Why nothing is patched: shown in the calendar, the schedule preview, plan reviews and notifications. */
    reason: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\p{Cc}]*$/u, { error: (i) => `${show(i.input)} has a control character (a line break, a tab); give the reason in one line` }),
  })
  .superRefine((freeze, ctx) => {
    const dates = [freeze.start, freeze.end].filter(isCalendarDate);
    if (dates.length > 0 && freeze.timeZone === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["timeZone"],
        input: freeze.timeZone,
        message: `is missing: ${dates.map(show).join(" and ")} ${dates.length === 1 ? "is a date" : "are dates"}, and a date needs the IANA time zone whose midnights bound it (e.g. "US/Central", the windows' zone); or give both ends as timestamps with offset`,
      });
      return;
    }
    // an unknown zone is reported by its own field
    if (freeze.timeZone !== undefined && !isIanaTimeZone(freeze.timeZone)) return;
    const start = freezeInstant(freeze.start, "start", freeze.timeZone);
    const end = freezeInstant(freeze.end, "end", freeze.timeZone);
    // an unreadable end is reported by its own field
    if (start === undefined || end === undefined || end > start) return;
    ctx.addIssue({
      code: "custom",
      path: ["end"],
      input: freeze.end,
      message: `${show(freeze.end)} is not after the start ${show(freeze.start)}; a freeze ends after it starts (a date as end includes that day)`,
    });
  });

/** A list of freezes (org-wide or one environment's). */
export const freezesSchema = z.array(freezeSchema).max(MAX_FREEZES).default([]);

export type FreezeConfig = z.output<typeof freezeSchema>;
