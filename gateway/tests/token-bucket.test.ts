import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { createLogger } from '@bff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MemoryRateLimiter } from '../src/rateLimit/MemoryRateLimiter.js';
import type { RateLimitDecision } from '../src/rateLimit/RateLimiter.js';
import { RedisRateLimiter } from '../src/rateLimit/RedisRateLimiter.js';
import { createSharedStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { deleteKeysUnder, keysUnder } from '@bff/testing';

const logger = createLogger({ service: 'test', level: 'silent' }, { write: () => {} });

/** Just the numbers, for one-line expectations. */
const numbers = (d: RateLimitDecision) =>
  [d.allowed, d.remaining, d.resetSeconds, d.retryAfterSeconds] as const;

describe('memory token bucket (fake clock)', () => {
  let nowMs = 0;
  const limiter = () => {
    nowMs = 1_000_000;
    return new MemoryRateLimiter({ now: () => nowMs });
  };
  const bucket = { capacity: 3, refillPerSecond: 2 };

  it('allows a burst of the capacity, then refuses with the wait for one token', async () => {
    const rl = limiter();
    // [allowed, remaining, resetSeconds, retryAfterSeconds]
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([true, 2, 1, 0]); // 0.5 s to full
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([true, 1, 1, 0]); // 1 s to full
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([true, 0, 2, 0]); // 1.5 s to full
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([false, 0, 2, 1]); // 0.5 s to a token
    expect((await rl.take('k', bucket, 1)).limit).toBe(3);
  });

  it('refills at the rate, fractions included, and never past the capacity', async () => {
    const rl = limiter();
    await rl.take('k', bucket, 3);
    nowMs += 250; // half a token
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([false, 0, 2, 1]);
    nowMs += 250; // one token
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([true, 0, 2, 0]);
    nowMs += 3_600_000; // an hour: full, not 7,200 tokens
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([true, 2, 1, 0]);
  });

  it('takes nothing when it refuses', async () => {
    const rl = limiter();
    await rl.take('k', bucket, 1); // 2 left
    expect(numbers(await rl.take('k', bucket, 3))).toEqual([false, 2, 1, 1]);
    expect(numbers(await rl.take('k', bucket, 2))).toEqual([true, 0, 2, 0]);
  });

  it('says how long until several tokens are there', async () => {
    const rl = limiter();
    const slow = { capacity: 10, refillPerSecond: 1 };
    await rl.take('k', slow, 10);
    expect(numbers(await rl.take('k', slow, 3))).toEqual([false, 0, 10, 3]);
    nowMs += 2_500;
    expect(numbers(await rl.take('k', slow, 3))).toEqual([false, 2, 8, 1]);
  });

  it('refuses more than the capacity with an infinite retryAfter, touching nothing', async () => {
    const rl = limiter();
    expect(numbers(await rl.take('k', bucket, 4))).toEqual([false, 3, 0, Infinity]);
    expect(numbers(await rl.take('k', bucket, 1))).toEqual([true, 2, 1, 0]);
  });

  it('keeps one bucket per key', async () => {
    const rl = limiter();
    await rl.take('a', bucket, 3);
    expect((await rl.take('a', bucket, 1)).allowed).toBe(false);
    expect((await rl.take('b', bucket, 1)).allowed).toBe(true);
  });

  it('forgets the least recently used bucket past maxKeys (which refills it)', async () => {
    nowMs = 0;
    const rl = new MemoryRateLimiter({ maxKeys: 2, now: () => nowMs });
    await rl.take('a', bucket, 3);
    await rl.take('b', bucket, 3);
    await rl.take('c', bucket, 3); // evicts a
    expect((await rl.take('a', bucket, 1)).remaining).toBe(2);
  });

  it('allows a take of zero tokens, and rejects nonsense as a RangeError', async () => {
    const rl = limiter();
    expect(numbers(await rl.take('k', bucket, 0))).toEqual([true, 3, 0, 0]);
    await expect(rl.take('k', bucket, -1)).rejects.toThrow(RangeError);
    await expect(rl.take('k', bucket, Number.NaN)).rejects.toThrow(RangeError);
    await expect(rl.take('k', { capacity: 0, refillPerSecond: 1 }, 1)).rejects.toThrow(RangeError);
    await expect(rl.take('k', { capacity: 1, refillPerSecond: 0 }, 1)).rejects.toThrow(RangeError);
  });
});

describe('redis token bucket (real time, small numbers)', () => {
  let store: SharedStore;
  let limiter: RedisRateLimiter;
  const key = () => randomBytes(6).toString('hex');
  /** One token per 100 s: whatever this machine's delays, the numbers move by less than 1 s. */
  const slow = { capacity: 3, refillPerSecond: 0.01 };

  beforeAll(async () => {
    store = createSharedStore({
      redisUrl: 'redis://127.0.0.1:6379',
      keyPrefix: `test:${randomBytes(6).toString('hex')}:`,
      logger,
      // Behaviour, not timing, is under test here (the outage test covers timing).
      timeoutMs: 2_000,
    });
    expect(await store.ping()).toBe(true);
    limiter = new RedisRateLimiter(store);
  });

  afterAll(async () => {
    await deleteKeysUnder(store.redis!, store.keyPrefix);
    await store.close();
  });

  it('allows a burst of the capacity, then refuses with the wait for one token', async () => {
    const k = key();
    const taken = [];
    for (let i = 0; i < 4; i += 1) taken.push(await limiter.take(k, slow, 1));
    expect(taken.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    // 100 s per token, less what elapsed since: within a second of these.
    expect(taken[0]!.resetSeconds).toBe(100);
    expect(taken[2]!.resetSeconds).toBeGreaterThanOrEqual(299);
    expect(taken[2]!.resetSeconds).toBeLessThanOrEqual(300);
    expect(taken[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(99);
    expect(taken[3]!.retryAfterSeconds).toBeLessThanOrEqual(100);
    expect(taken.every((d) => d.limit === 3)).toBe(true);
    expect(taken.slice(0, 3).every((d) => d.retryAfterSeconds === 0)).toBe(true);
  });

  it('takes nothing when it refuses', async () => {
    const k = key();
    expect((await limiter.take(k, slow, 2)).remaining).toBe(1);
    expect(numbers(await limiter.take(k, slow, 2)).slice(0, 2)).toEqual([false, 1]);
    expect(numbers(await limiter.take(k, slow, 1)).slice(0, 2)).toEqual([true, 0]);
  });

  it('refills with time', async () => {
    const k = key();
    const fast = { capacity: 1, refillPerSecond: 1 };
    expect((await limiter.take(k, fast, 1)).allowed).toBe(true);
    const refused = await limiter.take(k, fast, 1);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
    await sleep(1_100);
    expect((await limiter.take(k, fast, 1)).allowed).toBe(true);
  });

  it('refuses more than the capacity with an infinite retryAfter, storing nothing', async () => {
    const k = key();
    expect(numbers(await limiter.take(k, slow, 4))).toEqual([false, 3, 0, Infinity]);
    expect(await store.redis!.exists(`${store.keyPrefix}ratelimit:${k}`)).toBe(0);
  });

  it('keeps a bucket in one hash under the store prefix, expiring when it would be full', async () => {
    const k = key();
    await limiter.take(k, { capacity: 3, refillPerSecond: 1 }, 1);
    const raw = `${store.keyPrefix}ratelimit:${k}`;
    expect(await keysUnder(store.redis!, `${store.keyPrefix}ratelimit:${k}`)).toEqual([raw]);
    const hash = await store.redis!.hGetAll(raw);
    expect(Object.keys(hash).sort()).toEqual(['at', 'tokens']);
    expect(Number(hash.tokens)).toBe(2);
    // Full again in 1 s; expiry is that plus a second's slack.
    const pttl = await store.redis!.pTTL(raw);
    expect(pttl).toBeGreaterThan(1_000);
    expect(pttl).toBeLessThanOrEqual(2_000);
  });

  it('rejects nonsense as a RangeError without calling Redis', async () => {
    await expect(limiter.take(key(), slow, -1)).rejects.toThrow(RangeError);
  });
});
