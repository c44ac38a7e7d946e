import type { Logger } from '@bff/core';

import { createMemorySharedStore } from './memorySharedStore.js';
import { createRedisSharedStore } from './redisSharedStore.js';
import type { SharedStore } from './SharedStore.js';

export interface SharedStoreOptions {
  /**
   * `redis[s]://[[user][:password]@]host[:port][/db]`. Without it, state is
   * kept in this process only (one replica, or development).
   * @default undefined (in memory)
   */
  redisUrl?: string;
  /** Put in front of every key, e.g. `bff:` or `test:<random>:`. Include the separator. */
  keyPrefix: string;
  /** Outages are logged here: one warning when Redis goes, one info line when it is back. */
  logger: Logger;
  /**
   * How long any call may take, connection attempt included, before it
   * rejects with SharedStoreUnavailableError.
   * @default 100
   */
  timeoutMs?: number;
  /**
   * Entries the in-memory store keeps before evicting the least recently used.
   * Ignored with Redis, which has its own `maxmemory` policy.
   * @default 10000
   */
  maxMemoryEntries?: number;
}

/**
 * The shared state of every replica: keyv over Redis when `redisUrl` is set,
 * over a bounded in-process map otherwise. Creating it neither throws nor
 * waits when Redis is down: it connects in the background and reconnects by
 * itself, and each call fails fast meanwhile.
 */
export function createSharedStore(options: SharedStoreOptions): SharedStore {
  const timeoutMs = options.timeoutMs ?? 100;
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new RangeError(`Shared store timeoutMs must be a positive number, got ${timeoutMs}`);
  }
  if (options.redisUrl) {
    return createRedisSharedStore({
      redisUrl: options.redisUrl,
      keyPrefix: options.keyPrefix,
      logger: options.logger,
      timeoutMs,
    });
  }
  return createMemorySharedStore({
    keyPrefix: options.keyPrefix,
    timeoutMs,
    maxEntries: options.maxMemoryEntries ?? 10_000,
  });
}
