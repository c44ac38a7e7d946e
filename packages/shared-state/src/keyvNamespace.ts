// Internal: the KeyValueStore both stores hand out, over one keyv instance.
import type { Keyv } from 'keyv';

import type { KeyValueStore } from './SharedStore.js';

/** Runs one store operation under the store's deadline and error mapping. */
export type RunCall = <T>(what: string, operation: () => Promise<T>) => Promise<T>;

const namespacePattern = /^[\w.-]+$/;

/**
 * Keys are composed here and keyv is built with `useKeyPrefix: false` and no
 * namespace, so the prefix is applied exactly once. (keyv 5 with a namespace
 * over @keyv/redis prefixes twice: once in Keyv, once in the adapter.)
 */
export function keyvNamespace(
  keyv: Keyv<string>,
  keyPrefix: string,
  name: string,
  run: RunCall,
): KeyValueStore {
  // A ':' in a name would let two namespaces overlap (`a` + `b:c` = `a:b` + `c`).
  if (!namespacePattern.test(name)) {
    throw new TypeError(`Shared-store namespace "${name}" must match ${namespacePattern}`);
  }
  const prefix = `${keyPrefix}${name}:`;
  return {
    get: (key) => run(`shared store get ${name}`, () => keyv.get(prefix + key)),
    set: async (key, value, ttlSeconds) => {
      if (ttlSeconds !== undefined && !(ttlSeconds > 0 && Number.isFinite(ttlSeconds))) {
        // keyv reads a TTL of 0 as "forever": refuse it rather than keep a key
        // the caller meant to expire.
        throw new RangeError(`ttlSeconds must be a positive number, got ${ttlSeconds}`);
      }
      const ttlMs = ttlSeconds === undefined ? undefined : Math.ceil(ttlSeconds * 1000);
      await run(`shared store set ${name}`, () => keyv.set(prefix + key, value, ttlMs));
    },
    delete: async (key) => {
      await run(`shared store delete ${name}`, () => keyv.delete(prefix + key));
    },
  };
}
