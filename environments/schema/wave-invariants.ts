import { MAX_WAVE_DELAY_HOURS, shiftSchedule } from "../../contracts/wave-schedule.js";
import type { OrgConfigInput, Problem } from "./input.js";
import { show } from "./messages.js";
import { scheduleProblem } from "./primitives.js";

type Report = (path: Problem["path"], message: string) => void;

/** Delays the field check accepts; others it reports, once. */
const validDelay = (delay: unknown): delay is number => typeof delay === "number" && Number.isInteger(delay) && delay >= 0 && delay <= MAX_WAVE_DELAY_HOURS;

/**
 * Canary waves: names unique and known, the first wave at the windows' schedule and each later one
 * later than the one before, no wave without accounts, and every window of the environment
 * expressible in SSM for every wave's delay (the schedule offset is at most 6 days; moving within
 * the day needs a single cron hour). Runs on the raw input, next to the field checks.
 */
export function checkWaves(config: OrgConfigInput, report: Report): void {
  for (const [envName, env] of Object.entries(config.environments ?? {})) {
    if (!env) continue;
    const waves = Array.isArray(env.waves) ? env.waves : [];
    const names = waves.map((w) => (typeof w?.name === "string" ? w.name : undefined));
    checkOrder(envName, waves, report);
    checkAccounts(envName, env.accounts ?? [], names, report);
    waves.forEach((wave, w) => {
      if (!validDelay(wave?.delayHours) || wave.delayHours === 0) return;
      (env.maintenanceWindows ?? []).forEach((window) => {
        if (typeof window?.schedule !== "string" || scheduleProblem(window.schedule) !== undefined) return;
        const offset = window.scheduleOffsetDays;
        const result = shiftSchedule(
          { schedule: window.schedule, timeZone: "UTC", ...(typeof offset === "number" && offset >= 1 && offset <= 6 ? { scheduleOffsetDays: offset } : {}) },
          wave.delayHours,
        );
        if ("problem" in result)
          report(
            [envName, "waves", w, "delayHours"],
            `${wave.delayHours} cannot delay window ${show(window.name)} for wave ${show(wave.name)}: ${result.problem}`,
          );
      });
    });
  }
}

function checkOrder(envName: string, waves: ReadonlyArray<{ name?: unknown; delayHours?: unknown } | undefined>, report: Report) {
  const seen = new Map<string, number>();
  let previous: { name: unknown; delayHours: number } | undefined;
  waves.forEach((wave, w) => {
    if (!wave) return;
    if (typeof wave.name === "string") {
      const earlier = seen.get(wave.name);
      if (earlier !== undefined) report([envName, "waves", w, "name"], `${show(wave.name)} is already the name of ${envName}.waves[${earlier}]`);
      else seen.set(wave.name, w);
    }
    const delay = wave.delayHours;
    if (!validDelay(delay)) return;
    if (w === 0 && delay !== 0)
      report([envName, "waves", 0, "delayHours"], `${delay} delays the first wave; the first wave runs at the windows' own schedule, so its delayHours is 0`);
    if (w > 0 && previous && delay <= previous.delayHours)
      report(
        [envName, "waves", w, "delayHours"],
        `${delay} is not later than wave ${show(previous.name)} (${previous.delayHours} h); waves run in the order listed, each later than the one before`,
      );
    previous = { name: wave.name, delayHours: delay };
  });
}

function checkAccounts(envName: string, accounts: ReadonlyArray<{ wave?: unknown } | undefined>, names: ReadonlyArray<string | undefined>, report: Report) {
  const defined = names.filter((n): n is string => n !== undefined);
  const members = new Map<number, number>();
  accounts.forEach((account, a) => {
    const wave = account?.wave;
    if (names.length === 0) {
      if (wave !== undefined)
        report([envName, "accounts", a, "wave"], `${show(wave)} names a wave, but ${envName} has no waves; define ${envName}.waves or remove the field`);
      return;
    }
    // an account without a wave patches in the last one
    const index = wave === undefined ? names.length - 1 : typeof wave === "string" ? names.indexOf(wave) : -1;
    if (index < 0) {
      if (typeof wave === "string") report([envName, "accounts", a, "wave"], `${show(wave)} is not a wave of ${envName} (defined: ${defined.join(", ")})`);
      return;
    }
    members.set(index, (members.get(index) ?? 0) + 1);
  });
  // an environment still being set up has no accounts, and so no wave has any
  if (accounts.length === 0) return;
  names.forEach((name, w) => {
    // a repeated name is reported as that; its accounts count for its first wave
    if (name === undefined || names.indexOf(name) !== w || members.has(w)) return;
    const why = w === 0 ? ", so the later waves would patch without a canary before them" : "";
    report(
      [envName, "waves", w, "name"],
      `wave ${show(name)} has no accounts${why}; name it in an account's wave (accounts without one are in the last wave), or remove it`,
    );
  });
}
