import type { EnvironmentChange, EnvironmentStanding } from "../../../contracts/compliance-history.js";

/** A difference with its sign: `+3`, `−4` (a minus sign, not a hyphen), `±0`. */
export function signed(delta: number): string {
  if (delta > 0) return `+${delta.toLocaleString("en-US")}`;
  if (delta < 0) return `−${(-delta).toLocaleString("en-US")}`;
  return "±0";
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * When an earlier run started, as short as the reader needs it (UTC): `30 Nov`; `30 Nov 2026` in
 * another year than `now`; `11 Jan 07:00 UTC` on the same day as `now` (a run started by hand).
 */
export function runDate(at: string, now: string): string {
  const time = new Date(at);
  const reference = new Date(now);
  const day = `${time.getUTCDate()} ${months[time.getUTCMonth()]}`;
  if (time.getUTCFullYear() !== reference.getUTCFullYear()) return `${day} ${time.getUTCFullYear()}`;
  if (time.getUTCMonth() === reference.getUTCMonth() && time.getUTCDate() === reference.getUTCDate())
    return `${day} ${String(time.getUTCHours()).padStart(2, "0")}:${String(time.getUTCMinutes()).padStart(2, "0")} UTC`;
  return day;
}

/** Better, worse or the same: compliance is better higher, the counts lower. */
export type Direction = "better" | "worse" | "same";

/** One measure of an environment now and its change since the last run (undefined: nothing to compare). */
export interface MeasureChange {
  readonly label: string;
  readonly now: number | null;
  readonly delta?: number;
  readonly direction?: Direction;
}

const directionOf = (delta: number, higherIsBetter: boolean): Direction => (delta === 0 ? "same" : delta > 0 === higherIsBetter ? "better" : "worse");

/** The measures the change since the last run shows: compliance in percent points, then non-compliant, unreachable and not covered. */
export function measureChanges(change: EnvironmentChange): MeasureChange[] {
  const { current, previous } = change;
  const measure = (label: string, get: (s: EnvironmentStanding) => number | null, higherIsBetter: boolean): MeasureChange => {
    const now = get(current);
    const before = previous ? get(previous) : null;
    if (now === null || before === null) return { label, now };
    return { label, now, delta: now - before, direction: directionOf(now - before, higherIsBetter) };
  };
  return [
    measure("compliant", (s) => s.compliancePercent, true),
    measure("non-compliant", (s) => s.nonCompliant, false),
    measure("unreachable", (s) => s.unreachable, false),
    measure("not covered", (s) => s.notCovered, false),
  ];
}

const n = (value: number) => value.toLocaleString("en-US");

/**
 * An environment's change since the last run in one line of plain text (the digest):
 * `prod: 92% compliant (+3 since 30 Nov) · 12 non-compliant (−4) · 1 unreachable (+1) · 3 not covered (±0)`.
 */
export function changeLine(change: EnvironmentChange, runStartedAt: string): string {
  const { environment, current, previous } = change;
  const percent = (s: EnvironmentStanding) => (s.compliancePercent === null ? "no managed instances" : `${s.compliancePercent}% compliant`);
  if (!previous) return `${environment}: ${percent(current)} · first run, nothing to compare`;
  const since = runDate(previous.startedAt, runStartedAt);
  const [compliance, ...counts] = measureChanges(change);
  const head =
    compliance!.delta !== undefined
      ? `${percent(current)} (${signed(compliance!.delta)} since ${since})`
      : previous.compliancePercent === null
        ? `${percent(current)} (none managed on ${since})`
        : `${percent(current)} (${previous.compliancePercent}% on ${since})`;
  return [`${environment}: ${head}`, ...counts.map((m) => `${n(m.now ?? 0)} ${m.label} (${signed(m.delta ?? 0)})`)].join(" · ");
}
