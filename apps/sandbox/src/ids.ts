import { randomBytes, randomInt } from 'node:crypto';
import { formatChinaDate } from '@shop/alipay';

/** Identifiers shaped like Alipay's, so that column widths and validations in the shop meet realistic values. */

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

function chinaDateDigits(now: Date): string {
  return formatChinaDate(now).replaceAll('-', '');
}

/** 28 digits like `2026112122001404761234567890`: China date, `22001`, then 15 random digits. */
export function newTradeNo(now: Date): string {
  return `${chinaDateDigits(now)}22001${digits(15)}`;
}

/** 34 digits like Alipay's notify ids: China date, `00222`, then 21 random digits. */
export function newNotifyId(now: Date): string {
  return `${chinaDateDigits(now)}00222${digits(21)}`;
}

/** 32 hex characters, like the auth codes `my.getAuthCode` returns. */
export function newAuthCode(): string {
  return randomBytes(16).toString('hex');
}

/** Access and refresh tokens look like `authusrB...`. */
export function newToken(prefix: 'authusrB' | 'authusrR'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** The `trace_id` header every gateway response carries. */
export function newTraceId(): string {
  return randomBytes(15).toString('hex');
}

/** A 16-digit user id starting 2088, for buyers created without one. */
export function newUserId(): string {
  return `2088${digits(12)}`;
}

/** A 48-character open id in the shape Alipay gives open-id mode apps. */
export function newOpenId(): string {
  return `074a${randomBytes(22).toString('base64url').slice(0, 44)}`;
}

/** An opaque token for short-lived bill download URLs. */
export function newDownloadToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A refund request number for refunds made through the control API ("at Alipay, behind the shop's back"). */
export function newOutRequestNo(now: Date): string {
  return `SBX${chinaDateDigits(now)}${digits(12)}`;
}

/** The id of a pending order (a wap.pay request or a precreate code), used in the mobile cashier's URL. */
export function newPendingOrderId(): string {
  return randomBytes(12).toString('hex');
}

/** The path part of a precreate QR code, shaped like Alipay's `https://qr.alipay.com/bax0...` codes. */
export function newQrCodeToken(): string {
  return `bax0${randomBytes(10).toString('hex')}`;
}

/** The id of a message the gateway accepted (alipay.open.app.mini.templatemessage.send), 32 hex characters. */
export function newMessageId(): string {
  return randomBytes(16).toString('hex');
}
