import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrivateKey, loadPublicKey, signRsa2, verifyRsa2 } from '@shop/alipay';
import { describe, expect, it } from 'vitest';
import { DEV_MESSAGE_TEMPLATES, devKeyFiles, ensureDevKeys } from './index';

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

describe('DEV_MESSAGE_TEMPLATES', () => {
  it('has one template per kind, distinct ids shaped like Alipay user_template_ids, four keywords each', () => {
    expect(DEV_MESSAGE_TEMPLATES.map((template) => template.kind)).toEqual(['payment', 'shipping', 'refund']);
    const ids = DEV_MESSAGE_TEMPLATES.map((template) => template.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const template of DEV_MESSAGE_TEMPLATES) {
      expect(Buffer.from(template.id, 'base64').toString('utf8')).toMatch(/^[0-9a-f]{32}$/);
      expect(template.keywords.map((keyword) => keyword.key)).toEqual([
        'keyword1',
        'keyword2',
        'keyword3',
        'keyword4',
      ]);
      expect(template.keywords[0]?.label).toBe('订单编号');
    }
  });
});
