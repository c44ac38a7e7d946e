import type { SharedStore } from '@bff/shared-state';
import { MemoryRateLimiter } from './MemoryRateLimiter.js';
import type { RateLimiter } from './RateLimiter.js';
import { RedisRateLimiter } from './RedisRateLimiter.js';

/**
 * Buckets where the store keeps its state: in Redis (one atomic script per
 * take, shared by every replica) when the store has a Redis client, else in
 * this process's memory (one replica's own limit).
 */
export function createRateLimiter(store: SharedStore): RateLimiter {
  return store.redis ? new RedisRateLimiter(store) : new MemoryRateLimiter();
}
