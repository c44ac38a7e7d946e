import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { createLogger } from '@bff/core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { RedisRateLimiter } from '../src/rateLimit/RedisRateLimiter.js';
import { SharedStoreUnavailableError, createSharedStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { getAvailablePort, startRedisServer } from '@bff/testing';
import type { RedisServerProcess } from '@bff/testing';

// Stores here use the default 100 ms timeout. The bound leaves room for a
// busy machine and still catches a call that hangs.
const giveUpBoundMs = 300;
const bucket = { capacity: 10, refillPerSecond: 1 };

const lines: Record<string, unknown>[] = [];
const logger = createLogger(
  { service: 'test', level: 'info' },
  { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
);
/** Log lines of the store connected to `port` with this message. */
const logged = (port: number, level: string, msg: RegExp) =>
  lines.filter(
    (l) => l.level === level && msg.test(String(l.msg)) && String(l.redis).endsWith(`:${port}`),
  );

let redis: RedisServerProcess;
const stores: SharedStore[] = [];

function newStore(port: number): SharedStore {
  const store = createSharedStore({
    redisUrl: `redis://127.0.0.1:${port}`,
    keyPrefix: `test:${randomBytes(6).toString('hex')}:`,
    logger,
  });
  stores.push(store);
  return store;
}

beforeAll(async () => {
  redis = await startRedisServer(await getAvailablePort());
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await redis?.stop();
});

/** Runs `call`, expects SharedStoreUnavailableError within the bound, returns the error. */
async function givesUpFast(what: string, call: () => Promise<unknown>) {
  const started = performance.now();
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  const elapsedMs = performance.now() - started;
  expect(error, what).toBeInstanceOf(SharedStoreUnavailableError);
  expect(elapsedMs, what).toBeLessThan(giveUpBoundMs);
  return error as SharedStoreUnavailableError;
}

/** Every kind of call the store and the limiter make, each giving up fast. */
async function everyCallGivesUpFast(store: SharedStore, limiter: RedisRateLimiter) {
  const kv = store.namespace('n');
  await givesUpFast('get', () => kv.get('k'));
  await givesUpFast('set', () => kv.set('k', 'v', 60));
  await givesUpFast('delete', () => kv.delete('k'));
  await givesUpFast('take', () => limiter.take('k', bucket, 1));
  const started = performance.now();
  expect(await store.ping()).toBe(false);
  expect(performance.now() - started).toBeLessThan(giveUpBoundMs);
}

/** Retries `call` until it resolves, for up to `withinMs`; returns how long it took. */
async function eventually(call: () => Promise<unknown>, withinMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await call();
      return performance.now() - started;
    } catch (error) {
      if (performance.now() - started > withinMs) throw error;
      await sleep(50);
    }
  }
}

it('creates a store while nothing listens without throwing or waiting; its calls fail fast', async () => {
  const port = await getAvailablePort();
  const started = performance.now();
  const store = newStore(port);
  expect(performance.now() - started).toBeLessThan(giveUpBoundMs);
  const limiter = new RedisRateLimiter(store);
  // Across several reconnect attempts, not just the first.
  for (let round = 0; round < 3; round += 1) {
    await everyCallGivesUpFast(store, limiter);
    await sleep(300);
  }
  expect(logged(port, 'warn', /unreachable/)).toHaveLength(1);
  const closing = performance.now();
  await store.close();
  expect(performance.now() - closing).toBeLessThan(giveUpBoundMs);
});

it('fails fast while Redis is down, warns once, and reconnects by itself when it is back', async () => {
  const store = newStore(redis.port);
  const kv = store.namespace('n');
  const limiter = new RedisRateLimiter(store);
  expect(await store.ping()).toBe(true);
  await kv.set('before', 'v');
  expect((await limiter.take('k', bucket, 1)).allowed).toBe(true);

  // Calls made while Redis shuts down either finish or give up, within the bound.
  const attempts: Promise<{ outcome: unknown; elapsedMs: number }>[] = [];
  let stopping = true;
  const stopped = redis.stop().then(() => (stopping = false));
  for (let i = 0; stopping; i += 1) {
    const started = performance.now();
    const call = i % 2 ? kv.get('before') : limiter.take('k', bucket, 1);
    attempts.push(
      call.then(
        () => ({ outcome: 'done', elapsedMs: performance.now() - started }),
        (error: unknown) => ({ outcome: error, elapsedMs: performance.now() - started }),
      ),
    );
    await sleep(2);
  }
  await stopped;
  for (const { outcome, elapsedMs } of await Promise.all(attempts)) {
    if (outcome !== 'done') expect(outcome).toBeInstanceOf(SharedStoreUnavailableError);
    expect(elapsedMs).toBeLessThan(giveUpBoundMs);
  }

  for (let round = 0; round < 4; round += 1) {
    await everyCallGivesUpFast(store, limiter);
    await sleep(300);
  }
  expect(logged(redis.port, 'warn', /unreachable/)).toHaveLength(1);

  await redis.start();
  // The same store, no new one: its client reconnects by itself.
  const recoveredInMs = await eventually(() => kv.set('after', 'v'), 5_000);
  expect(recoveredInMs).toBeLessThan(5_000);
  expect(await kv.get('after')).toBe('v');
  expect(await kv.get('before')).toBeUndefined(); // a new, empty Redis
  // A fresh Redis has no script cached: EVALSHA fails, EVAL takes over.
  expect((await limiter.take('k', bucket, 1)).remaining).toBe(9);
  expect(await store.ping()).toBe(true);
  expect(logged(redis.port, 'info', /reachable again/)).toHaveLength(1);
  expect(logged(redis.port, 'warn', /unreachable/)).toHaveLength(1);
});

it('gives up at the deadline when Redis is stopped but its socket stays open (SIGSTOP)', async () => {
  const store = newStore(redis.port);
  const kv = store.namespace('n');
  const limiter = new RedisRateLimiter(store);
  expect(await store.ping()).toBe(true);
  redis.freeze();
  try {
    const error = await givesUpFast('get', () => kv.get('k'));
    expect(error.timedOut).toBe(true);
    await givesUpFast('take', () => limiter.take('k', bucket, 1));
    await givesUpFast('set', () => kv.set('k', 'v'));
  } finally {
    redis.thaw();
  }
  await eventually(() => kv.get('k'), 5_000);
  expect((await limiter.take('k2', bucket, 1)).allowed).toBe(true);
});
