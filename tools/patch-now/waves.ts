import { EMERGENCY_LIMITS } from "../../contracts/emergency-patch.js";

/** A command-line value the run cannot use: which option, and what would do. */
export class PatchNowInputError extends Error {
  override readonly name = "PatchNowInputError";
}

const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** `5%` → 5: a share in percent, from 0 to 100; `what` names the option in the error. */
export function parsePercent(text: string, what: string, { allowZero = false } = {}): number {
  const match = PERCENT.exec(text.trim());
  const value = match ? Number(match[1]) : Number.NaN;
  if (!match || value > 100 || (!allowZero && value === 0))
    throw new PatchNowInputError(
      `${what}: ${JSON.stringify(text)} is not a percentage: a number ${allowZero ? "from 0" : "above 0"} up to 100 with %, e.g. 5%`,
    );
  return value;
}

/** `--wave-timeout 240` → 240: how long one wave's commands may run, within the run's limits. */
export function parseWaveTimeout(text: string): number {
  const { minTimeoutMinutes: min, maxTimeoutMinutes: max } = EMERGENCY_LIMITS;
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new PatchNowInputError(`--wave-timeout: ${JSON.stringify(text)} is not a time in minutes: a whole number from ${min} to ${max}`);
  return value;
}

/**
 * `5%,25%,100%` → [5, 25, 100]: each wave's share of the environment's accounts, cumulative, so
 * rising, ending at 100 %, at most EMERGENCY_LIMITS.waves of them.
 */
export function parseWaves(text: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.some((p) => p === ""))
    throw new PatchNowInputError(`--waves: ${JSON.stringify(text)} has an empty wave; list cumulative percentages, e.g. 5%,25%,100%`);
  const shares = parts.map((p) => parsePercent(p, "--waves"));
  if (shares.length > EMERGENCY_LIMITS.waves) throw new PatchNowInputError(`--waves: ${shares.length} waves; a run has at most ${EMERGENCY_LIMITS.waves}`);
  shares.forEach((share, i) => {
    if (i > 0 && share <= shares[i - 1]!)
      throw new PatchNowInputError(
        `--waves: ${parts[i]} after ${parts[i - 1]}: the percentages are cumulative (the share of accounts patched once the wave is done), so each is larger than the one before`,
      );
  });
  if (shares.at(-1) !== 100) throw new PatchNowInputError(`--waves: the last wave is ${parts.at(-1)}; it must be 100% so that every account is patched`);
  return shares;
}

/**
 * The accounts, in the order given (the environment file's: list the canary accounts first), cut
 * into waves by cumulative share. Wave i ends at ⌈share_i × n / 100⌉ accounts (rounded up: a 5 %
 * wave of 3 accounts is one account, not none), at least one account after the wave before, and
 * leaving at least one account for each wave after it. Deterministic: the same accounts and
 * shares give the same waves.
 */
export function splitIntoWaves<A>(accounts: readonly A[], shares: readonly number[]): A[][] {
  const n = accounts.length;
  if (n < shares.length)
    throw new PatchNowInputError(
      `--waves: ${shares.length} waves for ${n} account${n === 1 ? "" : "s"}: every wave needs at least one account; give at most ${n} percentages${n === 1 ? " (--waves 100%)" : ` (e.g. --waves ${evenShares(n).join(",")})`}`,
    );
  const waves: A[][] = [];
  let end = 0;
  shares.forEach((share, i) => {
    const wavesAfter = shares.length - 1 - i;
    const wanted = Math.ceil((share * n) / 100 - 1e-9);
    const next = Math.min(Math.max(wanted, end + 1), n - wavesAfter);
    waves.push(accounts.slice(end, next));
    end = next;
  });
  return waves;
}

/** Shares that cut `n` accounts into as many waves as sensible: 2 waves of 50 %, or for 1 account 100 %. */
function evenShares(n: number): string[] {
  return n === 1 ? ["100%"] : ["50%", "100%"];
}
