/** Backoff between status checks of long operations (AMI, patch command): 60 s, 120 s, 240 s, then every 5 minutes. */
export const nextCheckSeconds = (checks: number): number => Math.min(30 * 2 ** (checks + 1), 300);
