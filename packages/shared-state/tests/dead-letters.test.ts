import { randomBytes } from 'node:crypto';

import { createLogger } from '@bff/core';
import { createDeadLetterStore, createSharedStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { deleteKeysUnder, keysUnder } from '@bff/testing';
import { afterAll, describe, expect, it } from 'vitest';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'test', level: 'silent' }, { write: () => {} });
const stores: SharedStore[] = [];

/** A store that answers: Redis connects in the background and refuses commands until then. */
async function connected(store: SharedStore): Promise<SharedStore> {
  stores.push(store);
  for (let i = 0; i < 100 && !(await store.ping()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return store;
}

function newStore(kind: 'memory' | 'redis', keyPrefix = `test:${randomBytes(6).toString('hex')}:`) {
  return connected(
    createSharedStore({
      redisUrl: kind === 'redis' ? redisUrl : undefined,
      keyPrefix,
      logger,
      timeoutMs: 2_000,
    }),
  );
}

afterAll(async () => {
  for (const store of stores) if (store.redis) await deleteKeysUnder(store.redis, store.keyPrefix);
  await Promise.all(stores.map((store) => store.close()));
});

describe.each(['memory', 'redis'] as const)('dead letters in %s', (kind) => {
  it('keeps letters by id, lists them by kind oldest first, keeps the first failure time, and removes them', async () => {
    const store = await newStore(kind);
    let clock = Date.parse('2026-11-21T10:00:00Z');
    const letters = createDeadLetterStore(store, { now: () => new Date(clock) });
    await letters.add({
      id: 'a',
      kind: 'crm.activity',
      payload: { n: 1 },
      error: 'UPSTREAM_UNAVAILABLE',
      attempts: 5,
    });
    clock += 1_000;
    await letters.add({
      id: 'b',
      kind: 'webhook.stock',
      payload: { n: 2 },
      error: 'BOOM',
      attempts: 3,
    });
    clock += 1_000;
    // The same work failing again: one letter, its first failure kept.
    await letters.add({
      id: 'a',
      kind: 'crm.activity',
      payload: { n: 1 },
      error: 'UPSTREAM_TIMEOUT',
      attempts: 10,
    });

    expect((await letters.list()).map((l) => l.id)).toEqual(['a', 'b']);
    expect(await letters.list('crm.activity')).toEqual([
      {
        id: 'a',
        kind: 'crm.activity',
        payload: { n: 1 },
        error: 'UPSTREAM_TIMEOUT',
        attempts: 10,
        firstFailedAt: '2026-11-21T10:00:00.000Z',
        lastFailedAt: '2026-11-21T10:00:02.000Z',
      },
    ]);
    expect((await letters.get('b'))?.payload).toEqual({ n: 2 });
    await letters.remove('a');
    await letters.remove('a');
    expect((await letters.list()).map((l) => l.id)).toEqual(['b']);
    if (store.redis)
      expect(await keysUnder(store.redis, store.keyPrefix)).toEqual([
        `${store.keyPrefix}dead-letters`,
      ]);
  });
});

it('dead letters in Redis are seen by every replica', async () => {
  const a = await newStore('redis');
  const b = await newStore('redis', a.keyPrefix);
  await createDeadLetterStore(a).add({ id: 'x', kind: 'k', payload: {}, error: 'E', attempts: 1 });
  expect((await createDeadLetterStore(b).list()).map((l) => l.id)).toEqual(['x']);
});
