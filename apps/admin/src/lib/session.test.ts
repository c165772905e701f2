import { type AdminSessionResponse } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import { createSessionStore, type KeyValueStorage } from './session';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const signedIn: AdminSessionResponse = {
  token: 'tok-1',
  expiresAt: '2026-11-21T12:00:00.000Z',
  admin: { id: 'adm1', username: 'owner', role: 'owner', displayName: '店主' },
};

describe('createSessionStore', () => {
  it('keeps the token and profile, and forgets them on clear', () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage);
    expect(store.read()).toBeNull();
    store.save(signedIn);
    expect(store.read()).toEqual(signedIn);
    store.clear();
    expect(store.read()).toBeNull();
    expect(storage.data.size).toBe(0);
  });

  it('replaces the profile after GET /api/admin/me and keeps the token', () => {
    const store = createSessionStore(memoryStorage());
    store.save(signedIn);
    store.updateProfile({ ...signedIn.admin, displayName: '王店主' }, '2026-11-22T00:00:00.000Z');
    expect(store.read()).toEqual({
      token: 'tok-1',
      expiresAt: '2026-11-22T00:00:00.000Z',
      admin: { ...signedIn.admin, displayName: '王店主' },
    });
  });

  it('does nothing to update without a session', () => {
    const storage = memoryStorage();
    createSessionStore(storage).updateProfile(signedIn.admin, signedIn.expiresAt);
    expect(storage.data.size).toBe(0);
  });

  it.each([
    'not json',
    '{"token":""}',
    JSON.stringify({ ...signedIn, admin: { ...signedIn.admin, role: 'root' } }),
    JSON.stringify({ token: 'x', expiresAt: 'y' }),
    'null',
  ])('treats a damaged entry as signed out: %s', (raw) => {
    const storage = memoryStorage();
    storage.data.set('shop-admin.session', raw);
    expect(createSessionStore(storage).read()).toBeNull();
  });
});
