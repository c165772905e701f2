/**
 * The session limit counts per minute, aligned to the clock (lib/rate-limits.ts): a test that must see its requests
 * in one window waits, when too little of the current minute is left, for the next one to begin, so a loaded machine
 * cannot carry its requests over into a fresh window.
 */
export async function startOfRateWindow(neededMs = 40_000, windowMs = 60_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < neededMs) await new Promise((r) => setTimeout(r, left + 50));
}
