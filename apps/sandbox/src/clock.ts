/**
 * Sandbox time. Instants are always real (UTC internally, China time on the wire); only durations that Alipay
 * imposes (the notify retry schedule, auth-code lifetime, trade expiry) are multiplied by the time scale, so a test can
 * watch a 25-hour retry schedule in seconds.
 */
export interface Clock {
  readonly timeScale: number;
  now(): Date;
  nowMs(): number;
  /** A protocol duration in real milliseconds, scaled and at least 1 ms. */
  scaled(durationMs: number): number;
}

export function createClock(timeScale: number): Clock {
  return {
    timeScale,
    now: () => new Date(),
    nowMs: () => Date.now(),
    scaled: (durationMs) => Math.max(1, Math.round(durationMs * timeScale)),
  };
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
