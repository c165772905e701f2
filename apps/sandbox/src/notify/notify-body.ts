import { encodeForm, fenToYuan, signNotify, yuanToFen } from '@shop/alipay';
import type { KeyObject } from 'node:crypto';
import iconv from 'iconv-lite';

/**
 * The bytes of a notify form, in the trade's charset. URLSearchParams (behind encodeForm) only speaks UTF-8, so
 * other charsets (Alipay sends GBK to apps that call with charset=GBK) are percent-encoded here byte by byte.
 */
export function encodeNotifyBody(fields: Readonly<Record<string, string>>, charset: string): Buffer {
  if (charset.toLowerCase() === 'utf-8') return Buffer.from(encodeForm(fields), 'utf8');
  const encode = (text: string) => {
    let out = '';
    for (const byte of iconv.encode(text, charset)) {
      const char = String.fromCharCode(byte);
      out += /[A-Za-z0-9*\-._]/.test(char)
        ? char
        : byte === 0x20
          ? '+'
          : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  };
  return Buffer.from(
    Object.entries(fields)
      .map(([key, value]) => `${encode(key)}=${encode(value)}`)
      .join('&'),
    'latin1',
  );
}

/** Flips bits in the middle of a signature: still 256 bytes of valid base64, but it no longer verifies. */
export function corruptSignature(sign: string): string {
  const bytes = Buffer.from(sign, 'base64');
  for (let i = 100; i < 108 && i < bytes.length; i++) bytes[i] = (bytes[i] as number) ^ 0xa5;
  return bytes.toString('base64');
}

/**
 * A forged notify: total_amount lowered to 0.01 (0.02 for a 0.01 trade) and signed with a key that is not Alipay's,
 * so the signature looks right but does not verify with Alipay's public key.
 */
export function forgeAmount(
  fields: Readonly<Record<string, string>>,
  forgerKey: KeyObject,
): Record<string, string> {
  const total = fields.total_amount ? yuanToFen(fields.total_amount) : 1;
  const forged = fenToYuan(total === 1 ? 2 : 1);
  const changed: Record<string, string> = { ...fields, total_amount: forged };
  for (const key of ['receipt_amount', 'buyer_pay_amount', 'invoice_amount'] as const) {
    if (changed[key] !== undefined) changed[key] = forged;
  }
  return signNotify(changed, forgerKey);
}
