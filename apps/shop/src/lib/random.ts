const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Fills a byte array with random values: Web Crypto where the runtime has it (browsers, recent Alipay base libraries). */
function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } })
    .crypto;
  if (webCrypto?.getRandomValues) return webCrypto.getRandomValues(bytes);
  // Older mini-program engines have no Web Crypto. These tokens are idempotency keys and a sign-in state that
  // only has to be unguessable to another site for a few minutes; 32 characters of Math.random are enough there.
  for (let i = 0; i < length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

/** A random token of letters and digits (e.g. an Idempotency-Key, which allows 8 to 64 of [A-Za-z0-9_-]). */
export function randomToken(length = 32, source: (length: number) => Uint8Array = randomBytes): string {
  // 248 = 4 * 62: rejecting bytes at or above it keeps every character equally likely.
  let token = '';
  while (token.length < length) {
    for (const byte of source(length)) {
      if (byte < 248 && token.length < length) token += ALPHABET[byte % 62];
    }
  }
  return token;
}
