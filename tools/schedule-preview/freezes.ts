import { describeInterval, freezeAt, freezeDuring, type Freeze } from "../../contracts/change-freeze.js";

/** A run of an installing window that a change freeze stops: the install runbook ends without patching. */
export interface FreezeMark {
  readonly reason: string;
  /** `org` or the environment whose `freezes` hold it. */
  readonly scope: string;
  readonly start: string;
  readonly end: string;
  /** True when the window opens inside the freeze (nothing installs); false when the freeze starts while it is open (instances started after its start are skipped). */
  readonly whole: boolean;
}

/** The freeze that stops an install run at `run` of a window open `durationHours`, if any. */
export function freezeOfRun(run: Date, durationHours: number, freezes: readonly Freeze[]): FreezeMark | undefined {
  const covering = freezeAt(freezes, run);
  const freeze = covering ?? freezeDuring(freezes, run, new Date(run.getTime() + durationHours * 3_600_000));
  return freeze ? { reason: freeze.reason, scope: freeze.scope, start: freeze.start, end: freeze.end, whole: covering !== undefined } : undefined;
}

/** `frozen: "year-end freeze" (org, 2026-12-18 00:00 UTC – 2027-01-04 00:00 UTC), no install` */
export function describeFreezeMark(mark: FreezeMark): string {
  const where = `${JSON.stringify(mark.reason)} (${mark.scope}, ${describeInterval(mark)})`;
  return mark.whole ? `frozen: ${where}, no install` : `freeze ${where} starts in the window: instances not started by then are not patched`;
}
