export interface RetryOptions {
  /** Attempts including the first. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff when the server gives no Retry-After. @default 1000 */
  readonly baseDelayMs?: number;
  /** Longest single pause, Retry-After included. @default 30000 */
  readonly maxDelayMs?: number;
  /** How long one attempt may take; each attempt gets its own deadline, pauses excluded. @default 10000 */
  readonly attemptTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** [0, 1); full jitter of the backoff. @default Math.random */
  readonly random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * A fetch that retries 429 and 5xx answers (and network failures and timeouts): it waits as long as
 * Retry-After says, else exponential backoff with full jitter, capped, for a bounded number of
 * attempts. Each attempt has its own timeout, so a long Retry-After never eats the next attempt's
 * time; callers pass no timeout signal of their own. The last answer is returned as it is, so the
 * caller reports the final status.
 */
export function retryingFetch(fetchFn: typeof fetch, options: RetryOptions = {}): typeof fetch {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 30_000;
  const pause = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  const attemptTimeout = options.attemptTimeoutMs ?? 10_000;
  return async (input, init) => {
    for (let attempt = 1; ; attempt++) {
      const deadline = AbortSignal.timeout(attemptTimeout);
      let response: Response;
      try {
        response = await fetchFn(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
        await pause(Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1))));
        continue;
      }
      if (!retryable(response.status) || attempt >= maxAttempts) return response;
      const delay = retryAfterMs(response.headers.get("retry-after")) ?? Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
      await response.body?.cancel();
      await pause(Math.min(cap, delay));
    }
  };
}
