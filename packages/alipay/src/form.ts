import { TextDecoder } from 'node:util';

/**
 * `application/x-www-form-urlencoded` in both directions, charset-aware.
 *
 * Alipay has posted notifies with a malformed Content-Type (`application/x-www-form-urlencoded; text/html;
 * charset=utf-8`) that common body parsers skip, and with a `charset` other than UTF-8 (GBK). So callers hand us the
 * raw bytes and we decode them here, exactly once: `+` is a space, `%XX` is a byte, and the bytes are decoded in the
 * request's charset. Decoding twice (alipay-sdk's old `checkNotifySign`) breaks values that contain `%`.
 */

/** The charset named by a Content-Type header, tolerant of malformed lists; null when none is named. */
export function charsetFromContentType(contentType: string | undefined | null): string | null {
  if (!contentType) return null;
  const match = /(?:^|[;,\s])charset\s*=\s*"?([A-Za-z0-9_.:-]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase() ?? null;
}

/** The `charset` field of a urlencoded body, read from the raw bytes without decoding the rest. */
export function charsetFromFormBody(raw: Buffer | string): string | null {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const match = /(?:^|&)charset=([A-Za-z0-9_.:%-]+)(?:&|$)/i.exec(text);
  return match?.[1] ? decodeURIComponent(match[1]).toLowerCase() : null;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function percentDecodeToBytes(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2b) {
      bytes.push(0x20);
    } else if (
      code === 0x25 &&
      i + 2 < text.length &&
      isHex(text.charCodeAt(i + 1)) &&
      isHex(text.charCodeAt(i + 2))
    ) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      // A raw non-ASCII character in a form body is not valid, but keep it rather than lose it.
      const codePoint = text.codePointAt(i) ?? code;
      for (const b of Buffer.from(String.fromCodePoint(codePoint), 'utf8')) bytes.push(b);
      if (codePoint > 0xffff) i++;
    }
  }
  return Uint8Array.from(bytes);
}

function decoderFor(charset: string): TextDecoder {
  try {
    return new TextDecoder(charset);
  } catch {
    throw new RangeError(`unsupported charset ${JSON.stringify(charset)}`);
  }
}

/**
 * Parses a urlencoded body into a flat record, decoding each name and value once in `charset` (default: the body's own
 * `charset` field, else UTF-8). A repeated name keeps its last value.
 */
export function parseForm(raw: Buffer | string, charset?: string | null): Record<string, string> {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const decoder = decoderFor(charset ?? charsetFromFormBody(text) ?? 'utf-8');
  const out: Record<string, string> = {};
  if (text === '') return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decoder.decode(percentDecodeToBytes(eq === -1 ? pair : pair.slice(0, eq)));
    const value = eq === -1 ? '' : decoder.decode(percentDecodeToBytes(pair.slice(eq + 1)));
    out[name] = value;
  }
  return out;
}

/** Encodes a flat record as a UTF-8 urlencoded body, skipping undefined values. */
export function encodeForm(params: Readonly<Record<string, string | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.append(key, value);
  }
  return search.toString();
}
