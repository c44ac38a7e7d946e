import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { createLogger } from '@bff/core';
import { afterAll, describe, expect, it } from 'vitest';

import { SharedStoreUnavailableError, createSharedStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { deleteKeysUnder, keysUnder } from '@bff/testing';

// The shared Redis on this machine: never flushed, only our own prefix touched.
const sharedRedisUrl = 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'test', level: 'silent' }, { write: () => {} });
const prefixes: string[] = [];
const stores: SharedStore[] = [];

function newStore(kind: 'memory' | 'redis', extra: { maxMemoryEntries?: number } = {}) {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  prefixes.push(keyPrefix);
  const store = createSharedStore({
    redisUrl: kind === 'redis' ? sharedRedisUrl : undefined,
    keyPrefix,
    logger,
    // Generous: these tests are about behaviour, not timing (the outage test is).
    timeoutMs: 2_000,
    ...extra,
  });
  stores.push(store);
  return store;
}

afterAll(async () => {
  const cleaner = stores.find((store) => store.redis);
  if (cleaner?.redis) {
    for (const prefix of prefixes) await deleteKeysUnder(cleaner.redis, prefix);
  }
  await Promise.all(stores.map((store) => store.close()));
});

describe.each(['memory', 'redis'] as const)('%s shared store', (kind) => {
  it('round-trips values exactly, and an absent key is undefined', async () => {
    const kv = newStore(kind).namespace('values');
    const values = ['', 'plain', '{"looks":"like json"}', 'ünïcødé ✓ 🚀', 'x'.repeat(100_000)];
    for (const [index, value] of values.entries()) await kv.set(`k${index}`, value);
    for (const [index, value] of values.entries()) expect(await kv.get(`k${index}`)).toBe(value);
    expect(await kv.get('never-set')).toBeUndefined();
  });

  it('overwrites, deletes, and deleting an absent key is fine', async () => {
    const kv = newStore(kind).namespace('crud');
    await kv.set('k', 'first');
    await kv.set('k', 'second');
    expect(await kv.get('k')).toBe('second');
    await kv.delete('k');
    expect(await kv.get('k')).toBeUndefined();
    await expect(kv.delete('k')).resolves.toBeUndefined();
  });

  it('expires a value after its TTL, and keeps one without', async () => {
    const kv = newStore(kind).namespace('ttl');
    await kv.set('short', 'v', 1);
    await kv.set('forever', 'v');
    expect(await kv.get('short')).toBe('v');
    await sleep(1_500);
    expect(await kv.get('short')).toBeUndefined();
    expect(await kv.get('forever')).toBe('v');
  });

  it('keeps namespaces apart', async () => {
    const store = newStore(kind);
    await store.namespace('a').set('k', 'in a');
    await store.namespace('b').set('k', 'in b');
    expect(await store.namespace('a').get('k')).toBe('in a');
    expect(await store.namespace('b').get('k')).toBe('in b');
  });

  it('refuses a namespace that could overlap another, and a TTL that is not positive', async () => {
    const store = newStore(kind);
    expect(() => store.namespace('a:b')).toThrow(TypeError);
    expect(() => store.namespace('')).toThrow(TypeError);
    await expect(store.namespace('ok').set('k', 'v', 0)).rejects.toThrow(RangeError);
  });

  it('answers ping, then rejects every call once closed', async () => {
    const store = newStore(kind);
    const kv = store.namespace('closing');
    expect(await store.ping()).toBe(true);
    await store.close();
    expect(await store.ping()).toBe(false);
    await expect(kv.get('k')).rejects.toBeInstanceOf(SharedStoreUnavailableError);
    await expect(kv.set('k', 'v')).rejects.toBeInstanceOf(SharedStoreUnavailableError);
  });
});

describe('redis shared store keys', () => {
  it('carries the prefix exactly once: <prefix><namespace>:<key>', async () => {
    const store = newStore('redis');
    await store.namespace('apq').set('abc123', 'query { a }', 60);
    const redis = store.redis!;
    expect(await keysUnder(redis, store.keyPrefix)).toEqual([`${store.keyPrefix}apq:abc123`]);
    const pttl = await redis.pTTL(`${store.keyPrefix}apq:abc123`);
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('reads what another replica (another connection) wrote', async () => {
    const writer = newStore('redis');
    const reader = createSharedStore({
      redisUrl: sharedRedisUrl,
      keyPrefix: writer.keyPrefix,
      logger,
    });
    stores.push(reader);
    await writer.namespace('n').set('k', 'shared');
    expect(await reader.namespace('n').get('k')).toBe('shared');
  });
});

describe('memory shared store', () => {
  it('is bounded: past maxMemoryEntries the least recently used entry goes', async () => {
    const kv = newStore('memory', { maxMemoryEntries: 3 }).namespace('lru');
    for (const key of ['a', 'b', 'c']) await kv.set(key, key);
    expect(await kv.get('a')).toBe('a'); // now b is the least recently used
    await kv.set('d', 'd');
    expect(await kv.get('b')).toBeUndefined();
    expect(await kv.get('a')).toBe('a');
    expect(await kv.get('d')).toBe('d');
  });

  it('has no Redis client', () => {
    expect(newStore('memory').redis).toBeUndefined();
  });
});
