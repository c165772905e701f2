import { LRUCache } from 'lru-cache';

/**
 * A short-lived in-process cache for the public catalog reads (categories, product pages, product detail). The
 * catalog is read far more than it changes, and every request otherwise queues for the one SQLite connection; a
 * second of staleness in a list or a stock figure is harmless because orders always check stock in the database.
 * lru-cache bounds memory (least recently used entries go first), expires entries by age, and runs one load per key
 * at a time, so fifty shoppers opening the same page at once cost one query.
 */
export class CatalogCache {
  readonly #cache: LRUCache<string, object, () => Promise<object>>;

  constructor(options: { ttlMs: number; maxEntries: number }) {
    this.#cache = new LRUCache<string, object, () => Promise<object>>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  /** The cached value for `key`, or `load()`'s (cached on success; a failure is not remembered). */
  async get<T extends object>(key: string, load: () => Promise<T>): Promise<T> {
    return (await this.#cache.fetch(key, { context: load })) as T;
  }
}

/** How stale a catalog read may be. */
export const CATALOG_CACHE_TTL_MS = 1_000;
