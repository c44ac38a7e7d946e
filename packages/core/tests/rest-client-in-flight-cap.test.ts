import { performance } from 'node:perf_hooks';

import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { InFlightLimiter, LimiterRejection } from '../src/rest/InFlightLimiter.js';
import { RestClient } from '../src/rest/RestClient.js';
import { UpstreamError } from '../src/rest/UpstreamError.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('RestClient in-flight cap', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;
  let current = 0;
  let peak = 0;

  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  /** A server that answers after `holdMs` and records how many requests it held at once. */
  async function countingServer(holdMs: number): Promise<LocalServer> {
    current = 0;
    peak = 0;
    return startLocalServer((_req, res) => {
      current += 1;
      peak = Math.max(peak, current);
      setTimeout(() => {
        current -= 1;
        sendJson(res, 200, { ok: true });
      }, holdMs);
    });
  }

  it('never has more than maxInFlight calls at the upstream; the rest wait and succeed', async () => {
    server = await countingServer(40);
    client = new RestClient({
      upstream: 'inventory',
      baseUrl: server.url,
      timeoutMs: 5_000,
      maxInFlight: 3,
      maxQueued: 17,
      logger,
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client!.request({ path: `/stock/${i}` })),
    );
    expect(results).toHaveLength(20);
    expect(server.requests).toHaveLength(20);
    expect(peak).toBe(3);
  });

  it('fails a call at once with UPSTREAM_UNAVAILABLE when the queue is full', async () => {
    server = await countingServer(300);
    client = new RestClient({
      upstream: 'inventory',
      baseUrl: server.url,
      timeoutMs: 5_000,
      maxInFlight: 1,
      maxQueued: 1,
      logger,
    });
    const first = client.request({ path: '/stock/1' });
    const second = client.request({ path: '/stock/2' });
    const started = performance.now();
    const error = await client.request({ path: '/stock/3' }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(100);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).extensions).toStrictEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'inventory',
    });
    expect((error as UpstreamError).detail.reason).toBe('queue-full');
    await Promise.all([first, second]);
    expect(server.requests).toHaveLength(2);
  });

  it('fails a queued call with UPSTREAM_UNAVAILABLE when its deadline passes while it waits', async () => {
    server = await countingServer(500);
    client = new RestClient({
      upstream: 'inventory',
      baseUrl: server.url,
      timeoutMs: 5_000,
      maxInFlight: 1,
      logger,
    });
    const first = client.request({ path: '/stock/1' });
    const started = performance.now();
    const error = await client
      .request({ path: '/stock/2', timeoutMs: 100 })
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(100 + 60);
    expect((error as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect((error as UpstreamError).detail.reason).toBe('queue-timeout');
    await first;
    expect(server.requests).toHaveLength(1);
  });
});

describe('InFlightLimiter', () => {
  const never = new AbortController().signal;

  it('hands a freed slot to the longest waiter', async () => {
    const limiter = new InFlightLimiter(1, 10);
    const release = await limiter.acquire(never);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) =>
      limiter.acquire(never).then((r) => {
        order.push(n);
        r();
      }),
    );
    expect(limiter.queued).toBe(3);
    release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inFlight).toBe(0);
  });

  it('gives a queue place back when the waiter gives up, and a double release is harmless', async () => {
    const limiter = new InFlightLimiter(1, 1);
    const release = await limiter.acquire(never);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    await expect(limiter.acquire(never)).rejects.toEqual(new LimiterRejection('queue-full'));
    controller.abort();
    await expect(waiting).rejects.toEqual(new LimiterRejection('aborted'));
    expect(limiter.queued).toBe(0);
    release();
    release();
    expect(limiter.inFlight).toBe(0);
    const again = await limiter.acquire(never);
    expect(limiter.inFlight).toBe(1);
    again();
  });
});
