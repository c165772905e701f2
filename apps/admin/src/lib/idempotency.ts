/**
 * An `Idempotency-Key` for a refund: 32 hex characters from the browser's CSPRNG. `crypto.getRandomValues` works
 * outside secure contexts too (unlike `crypto.randomUUID`), so an admin served over plain HTTP on a LAN still gets
 * keys.
 */
export function newIdempotencyKey(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
