import {
  generateRsaKeyPair,
  loadPrivateKey,
  loadPublicKey,
  parseNotifyBody,
  signNotify,
  verifyNotify,
} from '@shop/alipay';
import { describe, expect, it } from 'vitest';
import { corruptSignature, encodeNotifyBody, forgeAmount } from './notify-body';
import { maskLogonId } from './notify-fields';

const alipay = generateRsaKeyPair();
const alipayPrivate = loadPrivateKey(alipay.privateKeyPem);
const alipayPublic = loadPublicKey(alipay.publicKeyPem);
const fields = {
  out_trade_no: 'T1',
  subject: '羊毛 & 大衣 100%',
  total_amount: '88.88',
  receipt_amount: '88.88',
};

describe('notify bodies', () => {
  it.each(['utf-8', 'gbk'])('round-trip through the shop’s parser in %s', (charset) => {
    const signed = signNotify({ ...fields, charset }, alipayPrivate);
    const body = encodeNotifyBody(signed, charset);
    expect(body.toString('latin1')).toMatch(/^[\x21-\x7e]+$/); // pure ASCII on the wire
    const parsed = parseNotifyBody(body, `application/x-www-form-urlencoded; charset=${charset}`);
    expect(parsed).toEqual(signed);
    expect(verifyNotify(parsed, alipayPublic)).toBe(true);
  });

  it('corrupts a signature into one that looks valid but does not verify', () => {
    const signed = signNotify(fields, alipayPrivate);
    const bad = corruptSignature(signed.sign as string);
    expect(bad).not.toBe(signed.sign);
    expect(Buffer.from(bad, 'base64')).toHaveLength(256);
    expect(verifyNotify({ ...signed, sign: bad }, alipayPublic)).toBe(false);
  });

  it('forges a lower amount signed by another key', () => {
    const forger = loadPrivateKey(generateRsaKeyPair().privateKeyPem);
    const forged = forgeAmount(fields, forger);
    expect(forged.total_amount).toBe('0.01');
    expect(forged.receipt_amount).toBe('0.01');
    expect(verifyNotify(forged, alipayPublic)).toBe(false);
    expect(forgeAmount({ ...fields, total_amount: '0.01' }, forger).total_amount).toBe('0.02');
  });

  it('masks account names', () => {
    expect(maskLogonId('13800000001')).toBe('138****0001');
    expect(maskLogonId('abc')).toBe('a***');
  });
});
