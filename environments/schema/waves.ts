import { z } from "zod";
import { MAX_WAVE_DELAY_HOURS } from "../../contracts/wave-schedule.js";
import { show } from "./messages.js";
import { integerIn } from "./primitives.js";

/** Wave names appear in accounts' `wave`, the windows' descriptions and the schedule preview. */
export const waveName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, {
  error: (i) => `${show(i.input)} is not a valid wave name: 1-31 lowercase letters, digits and hyphens, starting with a letter`,
});

export const waveSchema = z.strictObject({
  /** Named by the accounts' `wave`; shown in the windows' descriptions and the schedule preview. */
  name: waveName,
  /**
   * Hours after the first wave's runs that this wave's windows run: 0 for the first wave, then
   * strictly increasing. Rendered into each window's schedule in the window's time zone (hours
   * move the cron's hour, whole days go to the schedule offset, at most 6 days in all).
   */
  delayHours: integerIn(0, MAX_WAVE_DELAY_HOURS, "a delay in hours"),
});

export const wavesSchema = z
  .array(waveSchema)
  .min(2, { error: (i) => `has ${(i.input as unknown[]).length} wave; one wave is no canary: give two or more, or none` });

export type Wave = z.output<typeof waveSchema>;

/** The account's wave and where it stands among the environment's waves. */
export interface AccountWave extends Wave {
  /** 0 for the first wave. */
  readonly index: number;
  /** The first wave's name, which the others are delayed after. */
  readonly first: string;
}

/**
 * The wave an account patches in: the one it names, or the last wave when it names none (a new
 * account, e.g. added by `npm run discover-accounts`, does not silently join the canary: it
 * patches with the rest, after the canary had its soak). Undefined when the environment has no waves.
 */
export function accountWave(environment: { readonly waves?: readonly Wave[] }, account: { readonly wave?: string }): AccountWave | undefined {
  const waves = environment.waves;
  if (!waves || waves.length === 0) return undefined;
  const index = account.wave === undefined ? waves.length - 1 : waves.findIndex((w) => w.name === account.wave);
  const wave = waves[index];
  if (!wave) throw new Error(`account wave ${account.wave} is not a wave of the environment (${waves.map((w) => w.name).join(", ")})`);
  return { ...wave, index, first: waves[0]!.name };
}

/** Each wave with its accounts, in wave order; one entry without a wave when the environment has none. */
export function wavesOf<A extends { readonly name: string; readonly wave?: string }>(environment: {
  readonly waves?: readonly Wave[];
  readonly accounts: readonly A[];
}): { readonly wave?: AccountWave; readonly accounts: readonly A[] }[] {
  const waves = environment.waves ?? [];
  if (waves.length === 0) return [{ accounts: environment.accounts }];
  return waves.map((w, index) => ({
    wave: { ...w, index, first: waves[0]!.name },
    accounts: environment.accounts.filter((a) => accountWave(environment, a)!.index === index),
  }));
}
