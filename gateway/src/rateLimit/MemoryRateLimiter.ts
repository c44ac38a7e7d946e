import { performance } from 'node:perf_hooks';

import { LRUCache } from 'lru-cache';

import { assertValidTake, toDecision } from './RateLimiter.js';
import type { RateLimitDecision, RateLimiter, TokenBucket } from './RateLimiter.js';

export interface MemoryRateLimiterOptions {
  /**
   * Buckets kept; past this the least recently used is forgotten, which
   * refills it. Bounds memory when callers pick their own keys.
   * @default 10000
   */
  maxKeys?: number;
  /**
   * Milliseconds from any fixed origin; tests pass a fake. Monotonic by
   * default, so that a wall-clock jump neither refills nor drains buckets.
   * @default performance.now
   */
  now?: () => number;
}

interface BucketState {
  tokens: number;
  /** When `tokens` was last computed, in `now()` milliseconds. */
  atMs: number;
}

/**
 * Token buckets in this process: for a single replica, development and
 * tests. The same arithmetic as RedisRateLimiter's script, where every
 * replica shares one bucket per key.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets: LRUCache<string, BucketState>;
  private readonly now: () => number;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.buckets = new LRUCache({ max: options.maxKeys ?? 10_000 });
    this.now = options.now ?? (() => performance.now());
  }

  async take(key: string, bucket: TokenBucket, tokens: number): Promise<RateLimitDecision> {
    assertValidTake(bucket, tokens);
    const { capacity, refillPerSecond } = bucket;
    const now = this.now();
    const saved = this.buckets.get(key);
    let available = capacity;
    if (saved) {
      // Multiplying before dividing keeps round numbers exact (250 ms at 2/s is 0.5).
      const refilled = saved.tokens + (Math.max(0, now - saved.atMs) * refillPerSecond) / 1000;
      // min: the capacity may have shrunk since the bucket was saved.
      available = Math.min(capacity, refilled);
    }
    const allowed = tokens <= available;
    if (allowed) {
      available -= tokens;
      this.buckets.set(key, { tokens: available, atMs: now });
    }
    let retryMs = 0;
    if (!allowed)
      retryMs = tokens > capacity ? -1 : ((tokens - available) * 1000) / refillPerSecond;
    return toDecision(bucket, {
      allowed,
      tokensLeft: available,
      resetMs: ((capacity - available) * 1000) / refillPerSecond,
      retryMs,
    });
  }
}
