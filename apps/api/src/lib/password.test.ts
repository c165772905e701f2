import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './password';

// Cheaper parameters keep the suite fast; the default parameters are exercised once below.
const FAST = { ln: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('hashes with the default parameters into one self-describing string, and verifies', async () => {
    const stored = await hashPassword('owner-demo-2026');
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('owner-demo-2026');
    expect(await verifyPassword('owner-demo-2026', stored)).toBe(true);
    expect(await verifyPassword('owner-demo-2027', stored)).toBe(false);
    // Three hashes at the default cost (64 MiB of memory each), slow on a busy machine: a deadline, not a measurement.
  }, 60_000);

  it('salts every hash', async () => {
    const a = await hashPassword('same', FAST);
    const b = await hashPassword('same', FAST);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, and flags weaker ones for re-hashing', async () => {
    const weak = await hashPassword('pw', FAST);
    expect(weak.startsWith('$scrypt$ln=10,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('pw', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword('pw'))).toBe(false);
  }, 60_000);

  it('treats Unicode compatibility forms as the same password', async () => {
    const stored = await hashPassword('ｐａｓｓ１', FAST);
    expect(await verifyPassword('pass1', stored)).toBe(true);
  });

  it('refuses malformed or out-of-range stored hashes instead of answering false', async () => {
    await expect(verifyPassword('x', 'plain-text')).rejects.toThrow(/format/);
    const huge = (await hashPassword('x', FAST)).replace('ln=10', 'ln=30');
    await expect(verifyPassword('x', huge)).rejects.toThrow(/out-of-range/);
  });

  it('a tampered hash does not verify', async () => {
    const stored = await hashPassword('pw', FAST);
    const parts = stored.split('$');
    const hash = Buffer.from(parts[4]!, 'base64url');
    hash[0] = (hash[0] ?? 0) ^ 1;
    parts[4] = hash.toString('base64url');
    expect(await verifyPassword('pw', parts.join('$'))).toBe(false);
  });
});
