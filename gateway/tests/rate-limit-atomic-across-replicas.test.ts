import { randomBytes } from 'node:crypto';

import { createLogger } from '@bff/core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { RedisRateLimiter } from '../src/rateLimit/RedisRateLimiter.js';
import { createSharedStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { deleteKeysUnder } from '@bff/testing';

const logger = createLogger({ service: 'test', level: 'silent' }, { write: () => {} });
const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
let replicas: SharedStore[] = [];

beforeAll(async () => {
  // Two stores, two connections: what two gateway replicas would hold.
  replicas = [0, 1].map(() =>
    createSharedStore({
      redisUrl: 'redis://127.0.0.1:6379',
      keyPrefix,
      logger,
      // 200 takes in flight on a busy machine: atomicity, not latency, is under test.
      timeoutMs: 5_000,
    }),
  );
  for (const store of replicas) expect(await store.ping()).toBe(true);
});

afterAll(async () => {
  await deleteKeysUnder(replicas[0]!.redis!, keyPrefix);
  await Promise.all(replicas.map((store) => store.close()));
});

it('grants exactly the capacity to 200 concurrent takes from two replicas', async () => {
  const limiters = replicas.map((store) => new RedisRateLimiter(store));
  // 100 per hour: refill cannot add a token while the takes run.
  const bucket = { capacity: 100, refillPerSecond: 100 / 3600 };
  const key = 'partner:acme';
  const decisions = await Promise.all(
    Array.from({ length: 200 }, (_, i) => limiters[i % 2]!.take(key, bucket, 1)),
  );
  const allowed = decisions.filter((d) => d.allowed);
  expect(allowed).toHaveLength(100);
  // Each granted take saw a different count of what was left: no token was spent twice.
  expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual(
    Array.from({ length: 100 }, (_, i) => i),
  );
  expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterSeconds >= 1)).toBe(true);
});
