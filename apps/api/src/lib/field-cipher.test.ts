import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher } from './field-cipher';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('FieldCipher', () => {
  it('round-trips and never stores the plain text', () => {
    const cipher = new FieldCipher([k1]);
    const stored = cipher.encrypt('13800138000');
    expect(stored.startsWith('k1:')).toBe(true);
    expect(stored).not.toContain('13800138000');
    expect(cipher.decrypt(stored)).toBe('13800138000');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('rotates: new values use the first key, old values still decrypt', () => {
    const old = new FieldCipher([k1]).encrypt('浦东新区世纪大道 100 号');
    const rotated = new FieldCipher([k2, k1]);
    expect(rotated.decrypt(old)).toBe('浦东新区世纪大道 100 号');
    expect(rotated.encrypt('x').startsWith('k2:')).toBe(true);
  });

  it('refuses tampered ciphertext and unknown keys', () => {
    const cipher = new FieldCipher([k1]);
    const stored = cipher.encrypt('13800138000');
    const raw = Buffer.from(stored.slice(3), 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    expect(() => cipher.decrypt(`k1:${raw.toString('base64')}`)).toThrow();
    expect(() => new FieldCipher([k2]).decrypt(stored)).toThrow(/no decryption key/);
  });

  it('parses the env form and rejects short keys', () => {
    const spec = `k1:${k1.key.toString('base64')},k2:${k2.key.toString('base64')}`;
    expect(FieldCipher.fromSpec(spec).currentKeyId).toBe('k1');
    expect(() => FieldCipher.fromSpec('k1:c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
