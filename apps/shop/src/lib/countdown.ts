/** What is left until `expiresAt` as `m:ss` (never negative), for a QR code's countdown. */
export function countdownText(expiresAtMs: number, nowMs: number): string {
  const left = Math.max(0, Math.ceil((expiresAtMs - nowMs) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}
