// Internal: the SharedStore used when no Redis URL is configured.
import { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';

import { keyvNamespace } from './keyvNamespace.js';
import type { RunCall } from './keyvNamespace.js';
import type { SharedStore } from './SharedStore.js';
import { SharedStoreUnavailableError } from './SharedStoreUnavailableError.js';

export interface MemorySharedStoreOptions {
  keyPrefix: string;
  timeoutMs: number;
  maxEntries: number;
}

/**
 * keyv over an LRU map instead of its default unbounded Map, so a flood of
 * distinct keys (APQ hashes are chosen by clients) cannot exhaust memory.
 * The least recently used entry goes first; TTLs are kept by keyv and, so that
 * expired entries do not sit in the map, by the LRU too.
 */
export function createMemorySharedStore(options: MemorySharedStoreOptions): SharedStore {
  const entries = new LRUCache<string, string>({ max: options.maxEntries });
  const keyv = new Keyv<string>({
    // The shape keyv expects of a Map-like store; lru-cache's own `set` takes
    // an options object where keyv passes a TTL in milliseconds.
    store: {
      get: (key: string) => entries.get(key),
      set: (key: string, value: string, ttlMs?: number) => {
        entries.set(key, value, ttlMs ? { ttl: ttlMs } : undefined);
        return true;
      },
      delete: (key: string) => entries.delete(key),
      clear: () => entries.clear(),
    },
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  let closed = false;
  const run: RunCall = async (what, operation) => {
    if (closed) throw new SharedStoreUnavailableError(`${what}: the shared store is closed`);
    return operation();
  };
  return {
    keyPrefix: options.keyPrefix,
    timeoutMs: options.timeoutMs,
    namespace: (name) => keyvNamespace(keyv, options.keyPrefix, name, run),
    ping: async () => !closed,
    close: async () => {
      closed = true;
      entries.clear();
    },
  };
}
