/**
 * Gateway responses are `{"<method>_response": {...}, "sign": "..."}`; early gateway errors use `error_response`.
 * The signature covers the exact text of the node's value as it appears in the body (braces included), so a client
 * must cut that substring out rather than re-serialise: Alipay escapes `/` as `\/` and orders keys its own way.
 * https://opendocs.alipay.com/common/02mse3 (同步响应验签)
 */

/** `alipay.trade.create` -> `alipay_trade_create_response`. */
export function responseKey(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}

export const ERROR_RESPONSE_KEY = 'error_response';

/**
 * Certificate mode: the SN of the Alipay certificate a response is signed under, a top-level member beside the
 * response node (the Java SDK's `AlipayConstants.ALIPAY_CERT_SN_FIELD`).
 */
export const ALIPAY_CERT_SN_KEY = 'alipay_cert_sn';

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

/** Index just past the JSON string starting at `i` (which holds `"`). */
function skipString(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  throw new SyntaxError('unterminated string in response');
}

/** Index just past the JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  const ch = text[i];
  if (ch === '"') return skipString(text, i);
  if (ch === '{' || ch === '[') {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i = skipString(text, i);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new SyntaxError('unbalanced JSON in response');
  }
  // number, true, false, null
  while (i < text.length && !/[,}\]\s]/.test(text[i] as string)) i++;
  return i;
}

/**
 * The raw text of each top-level member of a JSON object, in order, without re-serialising anything.
 * Throws SyntaxError when the text is not a JSON object.
 */
export function topLevelMembers(text: string): Map<string, string> {
  const members = new Map<string, string>();
  let i = skipWhitespace(text, 0);
  if (text[i] !== '{') throw new SyntaxError('response is not a JSON object');
  i = skipWhitespace(text, i + 1);
  if (text[i] === '}') return members;
  for (;;) {
    if (text[i] !== '"') throw new SyntaxError('expected a member name in response');
    const nameEnd = skipString(text, i);
    const name = JSON.parse(text.slice(i, nameEnd)) as string;
    i = skipWhitespace(text, nameEnd);
    if (text[i] !== ':') throw new SyntaxError('expected ":" in response');
    i = skipWhitespace(text, i + 1);
    const valueEnd = skipValue(text, i);
    members.set(name, text.slice(i, valueEnd));
    i = skipWhitespace(text, valueEnd);
    if (text[i] === ',') {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (text[i] === '}') return members;
    throw new SyntaxError('expected "," or "}" in response');
  }
}
