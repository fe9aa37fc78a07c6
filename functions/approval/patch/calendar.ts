import { GetCalendarStateCommand, type SSMClient } from "@aws-sdk/client-ssm";
import * as z from "zod/mini";
import { FREEZE_WAIT_MAX_CHECKS, FREEZE_WAIT_MAX_DAYS, PatchActions } from "../../../contracts/approval.js";
import { surfaceTransient } from "../../shared/errors.js";
import type { Log } from "../../shared/logger.js";
import { memberTarget } from "../shared/member-target.js";

export const calendarInput = z.object({
  action: z.literal(PatchActions.checkCalendar),
  ...memberTarget,
  /** The environment's change calendar in the member account and region (settings.changeCalendar). */
  calendar: z.string().check(z.regex(/^[a-zA-Z0-9_.-]{3,128}$/)),
  /** Checks made before this one (0 on the first). */
  checks: z.int().check(z.nonnegative()),
});
export type CalendarInput = z.infer<typeof calendarInput>;

export interface CalendarDeps {
  /** An SSM client for the member account and region, with the approval access role's credentials. */
  readonly ssm: (account: string, region: string) => SSMClient;
  readonly now: () => Date;
  readonly log: Log;
}

export interface CalendarCheck {
  /** OPEN: patch now; CLOSED: a change freeze is in effect. */
  readonly state: "OPEN" | "CLOSED";
  /** When the calendar changes state next, if SSM knows (the freeze's end while CLOSED). */
  readonly nextTransitionTime?: string;
  /** While CLOSED: when to check again, at the next transition (a minute after) but at most a week from now. */
  readonly waitUntil: string;
  readonly checks: number;
  /** False after FREEZE_WAIT_MAX_CHECKS checks: the workflow stops waiting and records "frozen". */
  readonly mayWait: boolean;
}

const DAY_MS = 86_400_000;
/** A moment after the transition, so the next check does not meet the freeze's last second. */
const AFTER_TRANSITION_MS = 60_000;

/**
 * The state of the environment's change calendar (ssm:GetCalendarState, as the install runbook
 * reads it): whether the approved patching may go on now, and while a freeze lasts, until when to wait.
 */
export async function checkCalendar(input: CalendarInput, deps: CalendarDeps): Promise<CalendarCheck> {
  let result;
  try {
    result = await deps.ssm(input.account, input.region).send(new GetCalendarStateCommand({ CalendarNames: [input.calendar] }));
  } catch (error) {
    surfaceTransient(error, "ssm GetCalendarState");
  }
  const state = result.State === "OPEN" ? "OPEN" : "CLOSED";
  const now = deps.now().getTime();
  const transition = result.NextTransitionTime ? Date.parse(result.NextTransitionTime) : Number.NaN;
  const latest = now + FREEZE_WAIT_MAX_DAYS * DAY_MS;
  const waitUntil = Number.isNaN(transition) || transition <= now ? latest : Math.min(transition + AFTER_TRANSITION_MS, latest);
  const checks = input.checks + 1;
  deps.log.info("change calendar checked", {
    instanceId: input.instanceId,
    calendar: input.calendar,
    state,
    nextTransitionTime: result.NextTransitionTime,
    checks,
  });
  return {
    state,
    ...(result.NextTransitionTime ? { nextTransitionTime: result.NextTransitionTime } : {}),
    waitUntil: new Date(waitUntil).toISOString(),
    checks,
    mayWait: checks <= FREEZE_WAIT_MAX_CHECKS,
  };
}
