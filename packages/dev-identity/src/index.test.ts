import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrivateKey, loadPublicKey, signRsa2, verifyRsa2 } from '@shop/alipay';
import { describe, expect, it } from 'vitest';
import { devKeyFiles, ensureDevKeys } from './index';

describe('ensureDevKeys', () => {
  it('generates matching pairs once and returns the same keys afterwards', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-keys-'));
    const first = ensureDevKeys(dataDir);
    const second = ensureDevKeys(dataDir);
    expect(second).toEqual(first);
    expect(readFileSync(devKeyFiles(dataDir).appPublic, 'utf8')).toBe(first.appPublicPem);
    const signature = signRsa2('x=1', loadPrivateKey(first.appPrivatePem));
    expect(verifyRsa2('x=1', signature, loadPublicKey(first.appPublicPem))).toBe(true);
    expect(first.alipayPublicPem).not.toBe(first.appPublicPem);
  });
});
