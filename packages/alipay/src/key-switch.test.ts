import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayClient } from './client';
import { AlipayOutcomeUnknownError } from './errors';
import { signGatewayResponse, signNotify } from './gateway';
import { generateRsaKeyPair, keyToBase64, loadPrivateKey, loadPublicKey, publicKeyId } from './keys';
import { startLocalServer, type LocalServer } from './test-support';

/**
 * A switch of Alipay's public key (ALIPAY_PUBLIC_KEY_NEXT): notifies, returns and gateway responses verify under the
 * current key or the next one, and name the key that verified them; a third key verifies nothing.
 */

const app = generateRsaKeyPair();
const oldKey = generateRsaKeyPair();
const newKey = generateRsaKeyPair();
const otherKey = generateRsaKeyPair();

let server: LocalServer;
/** The key the local gateway signs its responses with. */
let gatewayKey = oldKey;

beforeAll(async () => {
  server = await startLocalServer((request, res) => {
    const method = request.query.method ?? '';
    res.end(
      signGatewayResponse(
        method,
        { code: '10000', msg: 'Success', out_trade_no: 'O_1', trade_no: '2026112122001401' },
        loadPrivateKey(gatewayKey.privateKeyPem),
      ),
    );
  });
});
afterAll(() => server.close());

function client(current: string, next?: string): AlipayClient {
  return new AlipayClient({
    appId: '9021000000000001',
    privateKey: app.privateKeyPem,
    alipayPublicKey: current,
    ...(next === undefined ? {} : { alipayPublicKeyNext: next }),
    gateway: server.url,
    timeoutMs: 2000,
  });
}

function notifySignedBy(pair: { privateKeyPem: string }): Record<string, string> {
  return signNotify(
    { notify_id: 'n1', app_id: '9021000000000001', out_trade_no: 'O_1', total_amount: '1.00' },
    loadPrivateKey(pair.privateKeyPem),
  );
}

describe('publicKeyId', () => {
  it('is the first 8 hex of the SHA-256 of the SPKI DER, whatever form the key came in', () => {
    const key = loadPublicKey(oldKey.publicKeyPem);
    const expected = createHash('sha256')
      .update(key.export({ format: 'der', type: 'spki' }))
      .digest('hex')
      .slice(0, 8);
    expect(publicKeyId(key)).toBe(expected);
    expect(publicKeyId(loadPublicKey(keyToBase64(key)))).toBe(expected);
    expect(publicKeyId(loadPrivateKey(oldKey.privateKeyPem))).toBe(expected);
    expect(publicKeyId(loadPublicKey(newKey.publicKeyPem))).not.toBe(expected);
  });
});

describe('AlipayClient during a key switch', () => {
  const oldId = publicKeyId(loadPublicKey(oldKey.publicKeyPem));
  const newId = publicKeyId(loadPublicKey(newKey.publicKeyPem));

  it('verifies notifies signed with the current or the next key, names which, and refuses any other key', () => {
    const switching = client(oldKey.publicKeyPem, newKey.publicKeyPem);
    expect(switching.alipayPublicKeyIds).toEqual([oldId, newId]);
    expect(switching.notifySigner(notifySignedBy(oldKey))).toBe(oldId);
    expect(switching.notifySigner(notifySignedBy(newKey))).toBe(newId);
    expect(switching.notifySigner(notifySignedBy(otherKey))).toBeNull();
    expect(switching.verifyNotify(notifySignedBy(newKey))).toBe(true);
    expect(switching.verifyNotify(notifySignedBy(otherKey))).toBe(false);
    // A changed field breaks the signature under both keys.
    expect(switching.notifySigner({ ...notifySignedBy(newKey), total_amount: '0.01' })).toBeNull();
  });

  it('without a next key only the configured key verifies', () => {
    const single = client(oldKey.publicKeyPem);
    expect(single.alipayPublicKeyIds).toEqual([oldId]);
    expect(single.notifySigner(notifySignedBy(oldKey))).toBe(oldId);
    expect(single.notifySigner(notifySignedBy(newKey))).toBeNull();
  });

  it('a next key equal to the current one is the same single key', () => {
    expect(
      client(oldKey.publicKeyPem, keyToBase64(loadPublicKey(oldKey.publicKeyPem))).alipayPublicKeyIds,
    ).toEqual([oldId]);
  });

  const create = { outTradeNo: 'O_1', totalFen: 100, subject: 'T', buyerId: '2088000000000001' };

  it('accepts gateway responses signed with either key and refuses one signed with a third', async () => {
    const switching = client(newKey.publicKeyPem, oldKey.publicKeyPem);
    gatewayKey = oldKey;
    await expect(switching.tradeCreate(create)).resolves.toMatchObject({ tradeNo: '2026112122001401' });
    gatewayKey = newKey;
    await expect(switching.tradeCreate(create)).resolves.toMatchObject({ tradeNo: '2026112122001401' });
    gatewayKey = otherKey;
    await expect(switching.tradeCreate(create)).rejects.toBeInstanceOf(AlipayOutcomeUnknownError);
  });
});
