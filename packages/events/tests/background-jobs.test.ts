import { createLogger } from '@bff/core';
import { BackgroundJobs } from '@bff/events';
import { createDeadLetterStore, createSharedStore } from '@bff/shared-state';
import type { DeadLetterStore } from '@bff/shared-state';
import { afterEach, describe, expect, it } from 'vitest';

// The background jobs over the in-memory dead-letter store (the Redis one is
// tested in @bff/shared-state): retries, per-entity order, dead letters,
// replays and shutdown.

const logger = createLogger({ service: 'test', level: 'silent' }, { write: () => {} });
const running: BackgroundJobs[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((jobs) => jobs.close()));
});

function jobsWith(
  handlers: Record<string, (payload: never) => Promise<void>>,
  options: { maxAttempts?: number; retryBaseMs?: number } = {},
): { jobs: BackgroundJobs; deadLetters: DeadLetterStore } {
  const store = createSharedStore({ keyPrefix: 'test:', logger, timeoutMs: 1_000 });
  const deadLetters = createDeadLetterStore(store);
  const jobs = new BackgroundJobs({
    handlers,
    deadLetters,
    logger,
    maxAttempts: options.maxAttempts ?? 3,
    retryBaseMs: options.retryBaseMs ?? 5,
  });
  running.push(jobs);
  return { jobs, deadLetters };
}

const settled = (jobs: BackgroundJobs) => jobs.idle();

describe('BackgroundJobs', () => {
  it('retries a failing job until it succeeds, and keeps no dead letter', async () => {
    let calls = 0;
    const { jobs, deadLetters } = jobsWith({
      flaky: async () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
      },
    });
    jobs.enqueue({ id: 'a', kind: 'flaky', payload: {} });
    await expect.poll(() => calls).toBe(3);
    await settled(jobs);
    expect(await deadLetters.list()).toEqual([]);
  });

  it('dead-letters a job after its last attempt, with the payload, the attempts and why (code first)', async () => {
    let calls = 0;
    const failure = Object.assign(new Error('CRM answered 503'), { code: 'UPSTREAM_UNAVAILABLE' });
    const { jobs, deadLetters } = jobsWith({
      broken: async () => {
        calls++;
        throw failure;
      },
    });
    jobs.enqueue({ id: 'b', kind: 'broken', payload: { sku: 'X-1' } });
    await expect.poll(async () => (await deadLetters.list()).length).toBe(1);
    expect(calls).toBe(3);
    expect(await deadLetters.get('b')).toMatchObject({
      id: 'b',
      kind: 'broken',
      payload: { sku: 'X-1' },
      attempts: 3,
      error: 'UPSTREAM_UNAVAILABLE: CRM answered 503',
    });
  });

  it('runs the jobs of one key one after the other, in the order queued, and other keys beside them', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { jobs } = jobsWith({
      step: async (payload: { name: string; wait?: boolean }) => {
        log.push(`start ${payload.name}`);
        if (payload.wait) await gate;
        log.push(`end ${payload.name}`);
      },
    });
    jobs.enqueue({ id: '1', kind: 'step', key: 'p', payload: { name: 'p1', wait: true } });
    jobs.enqueue({ id: '2', kind: 'step', key: 'p', payload: { name: 'p2' } });
    jobs.enqueue({ id: '3', kind: 'step', key: 'q', payload: { name: 'q1' } });
    await expect.poll(() => log.includes('end q1')).toBe(true);
    // q1 ran while p1 waited; p2 has not started.
    expect(log).toEqual(['start p1', 'start q1', 'end q1']);
    release();
    await settled(jobs);
    expect(log).toEqual(['start p1', 'start q1', 'end q1', 'end p1', 'start p2', 'end p2']);
  });

  it('refuses to queue a kind it has no handler for, at once', () => {
    const { jobs } = jobsWith({ known: async () => undefined });
    expect(() => jobs.enqueue({ id: 'c', kind: 'unknown', payload: {} })).toThrow(/unknown/);
    expect(jobs.handles('known')).toBe(true);
    expect(jobs.handles('toString')).toBe(false);
  });

  it('on close, dead-letters a job waiting for its retry at once instead of waiting out the backoff', async () => {
    let calls = 0;
    const { jobs, deadLetters } = jobsWith(
      {
        slow: async () => {
          calls++;
          throw new Error('down');
        },
      },
      { maxAttempts: 5, retryBaseMs: 60_000 },
    );
    jobs.enqueue({ id: 'd', kind: 'slow', payload: {} });
    await expect.poll(() => calls).toBe(1);
    const started = Date.now();
    await jobs.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    const letter = await deadLetters.get('d');
    expect(letter).toMatchObject({ attempts: 1 });
    expect(letter!.error).toMatch(/^Error: down; the service stopped before it was done$/);
  });

  it('replays a dead letter: removed when it works, kept with one more attempt and the new failure when not', async () => {
    let failWith: string | undefined = 'still down';
    const done: unknown[] = [];
    const { jobs, deadLetters } = jobsWith({
      deliver: async (payload: { n: number }) => {
        if (failWith) throw new Error(failWith);
        done.push(payload);
      },
    });
    await deadLetters.add({
      id: 'e',
      kind: 'deliver',
      payload: { n: 7 },
      error: 'Error: down',
      attempts: 3,
    });
    await expect(jobs.replay((await deadLetters.get('e'))!)).rejects.toThrow('still down');
    expect(await deadLetters.get('e')).toMatchObject({ attempts: 4, error: 'Error: still down' });

    failWith = undefined;
    await jobs.replay((await deadLetters.get('e'))!);
    expect(done).toEqual([{ n: 7 }]);
    expect(await deadLetters.get('e')).toBeUndefined();
  });

  it('gives each attempt a request id derived from the job, safe to send upstream', async () => {
    const ids: string[] = [];
    const { jobs } = jobsWith({
      note: async (_payload: never, call: { requestId: string }) => {
        ids.push(call.requestId);
      },
    } as never);
    jobs.enqueue({ id: 'crm.activity:key with spaces/and/slashes', kind: 'note', payload: {} });
    await settled(jobs);
    expect(ids).toEqual(['job-crm.activity:key_with_spaces_and_slashes']);
  });
});
