import type { Logger } from '@bff/core';

import type { KeyValueStore, SharedStore } from './SharedStore.js';

/**
 * JSON values cached in one namespace of a shared store, for every replica.
 * It never fails a query: a store that does not answer reads as a miss (the
 * upstream answers instead) and a failed write is only logged. Dropping an
 * entry, though, rejects when the store fails: the caller (an event
 * processor) must retry, or a stale entry would outlive the change.
 */
export class JsonCache {
  private readonly entries: KeyValueStore;

  constructor(
    store: SharedStore,
    namespace: string,
    private readonly log: Logger,
  ) {
    this.entries = store.namespace(namespace);
  }

  async read<T>(key: string): Promise<T | undefined> {
    try {
      const json = await this.entries.get(key);
      return json === undefined ? undefined : (JSON.parse(json) as T);
    } catch (error) {
      this.log.warn({ err: error, key }, 'reference cache read failed; asking the upstream');
      return undefined;
    }
  }

  /** One read per key: keyv has no multi-get over namespaces, and node-redis pipelines them anyway. */
  readMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return Promise.all(keys.map((key) => this.read<T>(key)));
  }

  async write(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await this.entries.set(key, JSON.stringify(value), ttlSeconds);
    } catch (error) {
      this.log.warn({ err: error, key }, 'reference cache write failed');
    }
  }

  async drop(key: string): Promise<void> {
    await this.entries.delete(key);
  }
}

/**
 * A batch loader's fetch through a cache: the hits from the cache, the
 * misses of the whole batch in one upstream call (as without a cache), then
 * cached. Without a cache, the upstream answers everything.
 */
export async function readThrough<T>(
  ids: readonly string[],
  cache:
    | {
        get(ids: readonly string[]): Promise<(T | undefined)[]>;
        set(items: readonly T[]): Promise<void>;
      }
    | undefined,
  fetch: (ids: readonly string[]) => Promise<T[]>,
): Promise<T[]> {
  if (!cache) return fetch(ids);
  const cached = await cache.get(ids);
  const hits = cached.filter((item): item is T => item !== undefined);
  const misses = ids.filter((_, i) => cached[i] === undefined);
  if (misses.length === 0) return hits;
  const fetched = await fetch(misses);
  await cache.set(fetched);
  return [...hits, ...fetched];
}

/** Ids are opaque strings from clients: encoded, so no id can reach another key. */
export function cacheKey(kind: string, id: string): string {
  return `${kind}:${encodeURIComponent(id)}`;
}
