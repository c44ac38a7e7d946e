import { randomBytes } from 'node:crypto';

import { createLogger } from '@bff/core';
import { BackgroundJobs, createRedisJobJournal } from '@bff/events';
import type { JobJournal } from '@bff/events';
import { createDeadLetterStore, createSharedStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { deleteKeysUnder } from '@bff/testing';
import { afterAll, describe, expect, it } from 'vitest';

// The job journal on the machine's Redis, under a prefix of this run's own
// (removed afterwards): two "replicas" are two BackgroundJobs over one
// journal, and a replica that dies is one whose handler never returns.

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'test', level: 'silent' }, { write: () => {} });
const stores: SharedStore[] = [];
const replicas: BackgroundJobs[] = [];
const releases: (() => void)[] = [];

afterAll(async () => {
  for (const release of releases) release();
  await Promise.all(replicas.map((jobs) => jobs.close()));
  for (const store of stores) await deleteKeysUnder(store.redis!, store.keyPrefix);
  await Promise.all(stores.map((store) => store.close()));
});

async function redisStore(): Promise<SharedStore> {
  const store = createSharedStore({
    redisUrl,
    keyPrefix: `test:${randomBytes(6).toString('hex')}:`,
    logger,
    timeoutMs: 2_000,
  });
  stores.push(store);
  for (let i = 0; i < 100 && !(await store.ping()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return store;
}

function replica(
  store: SharedStore,
  journal: JobJournal,
  handler: (payload: { n: number }) => Promise<void>,
  { retryBaseMs = 5, takeOverEveryMs = 50 } = {},
) {
  const jobs = new BackgroundJobs({
    handlers: { work: handler },
    deadLetters: createDeadLetterStore(store),
    logger,
    maxAttempts: 3,
    retryBaseMs,
    journal,
    takeOverEveryMs,
  });
  replicas.push(jobs);
  return jobs;
}

describe('the job journal', () => {
  it('hands each expired job to one replica only, and forgets a removed one', async () => {
    const store = await redisStore();
    const journal = createRedisJobJournal(store, { leaseMs: 100 });
    await journal.record({ id: 'a', kind: 'work', payload: { n: 1 } });
    await journal.record({ id: 'b', kind: 'work', payload: { n: 2 } });
    await journal.remove('b');
    expect(await journal.takeOverExpired(10)).toEqual([]); // leases still running
    await new Promise((resolve) => setTimeout(resolve, 150));
    const taken = await Promise.all([journal.takeOverExpired(10), journal.takeOverExpired(10)]);
    expect(taken.flat()).toEqual([{ id: 'a', kind: 'work', payload: { n: 1 } }]);
  });

  it('a job whose replica died is done by another once its lease runs out', async () => {
    const store = await redisStore();
    const journal = createRedisJobJournal(store, { leaseMs: 300 });
    const done: number[] = [];
    // The first replica takes the job, then never comes back (a kill -9
    // mid-attempt: no renewal, and no takeovers of its own either).
    const dead = replica(
      store,
      journal,
      () => new Promise<void>((resolve) => releases.push(resolve)),
      { takeOverEveryMs: 3_600_000 },
    );
    await dead.enqueue({ id: 'j1', kind: 'work', payload: { n: 7 } });
    const alive = replica(store, journal, async (payload) => {
      done.push(payload.n);
    });
    await expect.poll(() => done, { timeout: 3_000, interval: 25 }).toEqual([7]);
    // Done: out of the journal, so nobody takes it again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await journal.takeOverExpired(10)).toEqual([]);
    expect(done).toEqual([7]);
    await alive.idle();
  });

  it('a replica that stops leaves its waiting jobs to the others instead of dead-lettering them', async () => {
    const store = await redisStore();
    const journal = createRedisJobJournal(store, { leaseMs: 200 });
    let failing = true;
    const done: number[] = [];
    const stopping = replica(
      store,
      journal,
      async (payload) => {
        if (failing) throw new Error('upstream down');
        done.push(payload.n);
      },
      { retryBaseMs: 60_000 }, // its retry waits a minute: it is stopped first
    );
    await stopping.enqueue({ id: 'j2', kind: 'work', payload: { n: 9 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stopping.close();
    expect(await createDeadLetterStore(store).list()).toEqual([]);

    failing = false;
    replica(store, journal, async (payload) => {
      done.push(payload.n);
    });
    await expect.poll(() => done, { timeout: 3_000, interval: 25 }).toEqual([9]);
  });
});
