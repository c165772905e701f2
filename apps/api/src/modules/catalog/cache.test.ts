import { describe, expect, it } from 'vitest';
import { CatalogCache } from './cache';

describe('CatalogCache', () => {
  it('loads once for concurrent reads of one key, and again once the entry has expired', async () => {
    const cache = new CatalogCache({ ttlMs: 50, maxEntries: 10 });
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { n: loads };
    };
    const first = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', load)));
    expect(loads).toBe(1);
    expect(first.every((v) => v.n === 1)).toBe(true);
    expect(await cache.get('other', load)).toEqual({ n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await cache.get('k', load)).toEqual({ n: 3 });
  });

  it('does not remember failures', async () => {
    const cache = new CatalogCache({ ttlMs: 10_000, maxEntries: 10 });
    await expect(cache.get('k', () => Promise.reject(new Error('not found')))).rejects.toThrow('not found');
    expect(await cache.get('k', () => Promise.resolve({ ok: true }))).toEqual({ ok: true });
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new CatalogCache({ ttlMs: 10_000, maxEntries: 2 });
    let loads = 0;
    const load = () => Promise.resolve({ n: ++loads });
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('a', load);
    await cache.get('c', load);
    expect(loads).toBe(3);
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('b', load)).toEqual({ n: 4 });
  });
});
