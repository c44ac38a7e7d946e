import { performance } from 'node:perf_hooks';

import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
import type { RestClientOptions } from '../src/rest/RestClient.js';
import type { RestClientObserver, RetriedEvent } from '../src/rest/RestClientObserver.js';
import { UpstreamError } from '../src/rest/UpstreamError.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

/** Answers `status` to the first `failures` requests, then 200. */
function failingThenOk(failures: number, status: number, headers: Record<string, string> = {}) {
  let seen = 0;
  return (_req: unknown, res: Parameters<typeof sendJson>[0]) => {
    seen += 1;
    if (seen <= failures) sendJson(res, status, { error: 'injected' }, headers);
    else sendJson(res, 200, { ok: seen });
  };
}

describe('RestClient retries', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;
  let retried: RetriedEvent[];

  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  function clientFor(overrides: Partial<RestClientOptions> = {}): RestClient {
    retried = [];
    const observer: RestClientObserver = { retried: (e) => retried.push(e) };
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server!.url,
      timeoutMs: 2_000,
      retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 },
      observer,
      logger,
      ...overrides,
    });
    return client;
  }

  it('retries a GET on 503 at most twice (three attempts), then fails with the last error', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 503, { error: 'busy' }));
    const error = await failureOf(clientFor().request({ path: '/orders' }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.extensions).toStrictEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'erp' });
    expect(server.requests).toHaveLength(3);
    expect(retried.map((e) => [e.attempt, e.reason])).toEqual([
      [2, 'unavailable'],
      [3, 'unavailable'],
    ]);
  });

  it('returns the answer of the attempt that succeeds', async () => {
    server = await startLocalServer(failingThenOk(1, 500));
    await expect(clientFor().request({ path: '/orders' })).resolves.toEqual({ ok: 2 });
    expect(server.requests).toHaveLength(2);
    expect(retried[0]?.reason).toBe('server-error');
  });

  it.each([
    ['GET', undefined, 3],
    ['PUT', undefined, 3],
    ['DELETE', undefined, 3],
    ['POST', undefined, 1],
    ['PATCH', undefined, 1],
    ['POST', 'key-1', 3],
    ['PATCH', 'key-2', 3],
  ] as const)('%s with idempotency key %s: %i attempts on 502', async (method, key, attempts) => {
    server = await startLocalServer((_req, res) => sendJson(res, 502, {}));
    await failureOf(
      clientFor().request({
        method,
        path: '/orders',
        body: method === 'GET' || method === 'DELETE' ? undefined : { a: 1 },
        ...(key ? { idempotencyKey: key } : {}),
      }),
    );
    expect(server.requests).toHaveLength(attempts);
    // The key goes out unchanged on every attempt, so the upstream can deduplicate.
    if (key)
      expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual([key, key, key]);
  });

  it('retries a POST declared idempotent (a batch read), and not a GET declared otherwise', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 503, {}));
    const c = clientFor();
    await failureOf(
      c.request({
        method: 'POST',
        path: '/products/batch-get',
        body: { ids: ['A'] },
        idempotent: true,
      }),
    );
    expect(server.requests).toHaveLength(3);
    await failureOf(c.request({ path: '/orders', idempotent: false }));
    expect(server.requests).toHaveLength(4);
  });

  it.each([400, 401, 403, 404, 409, 422, 501])('does not retry a %i', async (status) => {
    server = await startLocalServer((_req, res) => sendJson(res, status, {}));
    await failureOf(clientFor().request({ path: '/orders/O-1' }));
    expect(server.requests).toHaveLength(1);
    expect(retried).toEqual([]);
  });

  it.each([
    [429, 'rate-limited'],
    [500, 'server-error'],
    [502, 'server-error'],
    [503, 'unavailable'],
    [504, 'server-error'],
  ])('retries a %i (reason %s)', async (status, reason) => {
    server = await startLocalServer(failingThenOk(1, status));
    await expect(clientFor().request({ path: '/orders' })).resolves.toEqual({ ok: 2 });
    expect(retried.map((e) => e.reason)).toEqual([reason]);
  });

  it('retries a dropped connection (transport error)', async () => {
    let seen = 0;
    server = await startLocalServer((req, res) => {
      seen += 1;
      if (seen < 3) req.socket.destroy();
      else sendJson(res, 200, { ok: true });
    });
    await expect(clientFor().request({ path: '/orders' })).resolves.toEqual({ ok: true });
    expect(seen).toBe(3);
    expect(retried.map((e) => e.reason)).toEqual(['transport', 'transport']);
  });

  it('without retry options sends once (the readiness probe)', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 503, {}));
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    await failureOf(client.request({ path: '/health' }));
    expect(server.requests).toHaveLength(1);
  });

  it('still refreshes a refused token once, without spending a retry on it', async () => {
    let issued = 0;
    let current: string | undefined;
    const tokens = {
      getToken: async () => (current ??= `token-${++issued}`),
      invalidate: (token: string) => {
        if (token === current) current = undefined;
      },
    };
    let seen = 0;
    server = await startLocalServer((req, res) => {
      seen += 1;
      if (req.headers.authorization === 'Bearer token-1') sendJson(res, 401, {});
      else if (seen < 4) sendJson(res, 503, {});
      else sendJson(res, 200, { ok: true });
    });
    await expect(
      clientFor({ tokenProvider: tokens }).request({ path: '/orders' }),
    ).resolves.toEqual({ ok: true });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-2',
      'Bearer token-2',
    ]);
    expect(retried).toHaveLength(2);
  });
});

describe('RestClient backoff: full jitter', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  async function delaysWith(random: () => number): Promise<number[]> {
    server = await startLocalServer((_req, res) => sendJson(res, 500, {}));
    const delays: number[] = [];
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      timeoutMs: 5_000,
      retry: { retries: 4, baseDelayMs: 40, maxDelayMs: 100, random },
      observer: { retried: (e) => delays.push(e.delayMs) },
      logger,
    });
    await failureOf(client.request({ path: '/orders' }));
    return delays;
  }

  it('draws each delay below min(cap, base · 2^retry), the ceiling doubling per retry', async () => {
    expect(await delaysWith(() => 0.999_999)).toEqual([39, 79, 99, 99]);
  });

  it('may draw zero: the lower bound is 0, not half the ceiling', async () => {
    expect(await delaysWith(() => 0)).toEqual([0, 0, 0, 0]);
  });

  it('scales the random draw across the whole range', async () => {
    const draws = [0.5, 0.25, 0.1, 0.9];
    expect(await delaysWith(() => draws.shift()!)).toEqual([20, 20, 10, 90]);
  });

  it('waits the drawn delay before the next attempt', async () => {
    const sentAt: number[] = [];
    server = await startLocalServer((_req, res) => {
      sentAt.push(performance.now());
      sendJson(res, 503, {});
    });
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      timeoutMs: 5_000,
      retry: { retries: 2, baseDelayMs: 200, maxDelayMs: 1_000, random: () => 0.5 },
      logger,
    });
    await failureOf(client.request({ path: '/orders' }));
    // Delays of 100 ms then 200 ms; timers may fire a little early.
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(95);
    expect(sentAt[2]! - sentAt[1]!).toBeGreaterThanOrEqual(195);
  });
});

describe('RestClient: Retry-After and the deadline', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  function clientWith(timeoutMs: number, retries = 2, delays: number[] = []): RestClient {
    client = new RestClient({
      upstream: 'crm',
      baseUrl: server!.url,
      timeoutMs,
      retry: { retries, baseDelayMs: 50, maxDelayMs: 100 },
      observer: { retried: (e) => delays.push(e.delayMs) },
      logger,
    });
    return client;
  }

  it.each([429, 503])('waits the Retry-After of a %i, not the backoff', async (status) => {
    server = await startLocalServer(failingThenOk(1, status, { 'retry-after': '1' }));
    const delays: number[] = [];
    const started = performance.now();
    await expect(clientWith(3_000, 2, delays).request({ path: '/contacts' })).resolves.toEqual({
      ok: 2,
    });
    expect(delays).toEqual([1_000]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('does not retry a 429 whose Retry-After passes the deadline: RATE_LIMITED with the wait', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 429, {}, { 'retry-after': '5' }));
    const started = performance.now();
    const error = await failureOf(clientWith(1_000).request({ path: '/contacts' }));
    expect(performance.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
    expect(error.extensions).toStrictEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      upstream: 'crm',
      retryAfterSeconds: 5,
    });
  });

  it('does not retry a 503 whose Retry-After passes the deadline: UNAVAILABLE with the wait', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 503, {}, { 'retry-after': '2' }));
    const error = await failureOf(clientWith(1_000).request({ path: '/contacts' }));
    expect(server.requests).toHaveLength(1);
    expect(error.extensions).toStrictEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'crm',
      retryAfterSeconds: 2,
    });
  });

  it('spends one deadline on all attempts: a slow failing upstream ends within it', async () => {
    server = await startLocalServer((_req, res) => {
      setTimeout(() => sendJson(res, 503, {}), 120);
    });
    const started = performance.now();
    const error = await failureOf(clientWith(400, 10).request({ path: '/contacts' }));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(400 + 60);
    // Three attempts of 120 ms fit; the fourth is cut off by the deadline.
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    expect(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE']).toContain(error.code);
  });

  it('times out a hanging upstream at the deadline, without retrying past it', async () => {
    server = await startLocalServer(() => {
      // Never answers.
    });
    const started = performance.now();
    const error = await failureOf(clientWith(300, 5).request({ path: '/contacts' }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.message).toBe('The CRM system did not answer within 300 ms.');
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(300 + 60);
    expect(server.requests).toHaveLength(1);
  });

  it('fails with the last error, not a timeout, when the next delay would pass the deadline', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 502, {}));
    client = new RestClient({
      upstream: 'crm',
      baseUrl: server.url,
      timeoutMs: 300,
      retry: { retries: 5, baseDelayMs: 1_000, maxDelayMs: 1_000, random: () => 0.9 },
      logger,
    });
    const started = performance.now();
    const error = await failureOf(client.request({ path: '/contacts' }));
    expect(performance.now() - started).toBeLessThan(200);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.detail.status).toBe(502);
    expect(server.requests).toHaveLength(1);
  });

  it('stops waiting between attempts when the caller gives up', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 503, {}));
    client = new RestClient({
      upstream: 'crm',
      baseUrl: server.url,
      timeoutMs: 5_000,
      retry: { retries: 2, baseDelayMs: 2_000, maxDelayMs: 2_000, random: () => 0.99 },
      logger,
    });
    const controller = new AbortController();
    const started = performance.now();
    const call = failureOf(client.request({ path: '/contacts' }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const error = await call;
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests).toHaveLength(1);
  });
});
