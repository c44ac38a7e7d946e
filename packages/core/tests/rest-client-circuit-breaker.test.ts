import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
import type { RestClientOptions } from '../src/rest/RestClient.js';
import type { CircuitStateName } from '../src/rest/RestClientObserver.js';
import { UpstreamError } from '../src/rest/UpstreamError.js';
import { closedPort, sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

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

describe('RestClient circuit breaker', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;
  let changes: CircuitStateName[];
  let lines: Record<string, unknown>[];

  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  function clientFor(
    breaker: RestClientOptions['breaker'],
    overrides: Partial<RestClientOptions> = {},
  ): RestClient {
    changes = [];
    lines = [];
    client = new RestClient({
      upstream: 'crm',
      baseUrl: server!.url,
      timeoutMs: 1_000,
      breaker,
      observer: { circuitChanged: (e) => changes.push(e.state) },
      logger: createLogger(
        { service: 'test', level: 'info' },
        { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
      ),
      ...overrides,
    });
    return client;
  }

  const fail = (status: number) => (_req: unknown, res: Parameters<typeof sendJson>[0]) =>
    sendJson(res, status, { error: 'injected' });

  it('opens after 5 failures within the window and then fails fast without calling', async () => {
    server = await startLocalServer(fail(500));
    const c = clientFor({ failureThreshold: 5, windowMs: 60_000, openMs: 30_000 });
    for (let i = 0; i < 4; i++) await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('closed');
    await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('open');
    expect(changes).toEqual(['open']);
    expect(server.requests).toHaveLength(5);

    const fastFail = await failureOf(
      c.request({ path: '/contacts/42', route: 'GET /contacts/:id' }),
    );
    expect(server.requests).toHaveLength(5);
    expect(fastFail.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(fastFail.extensions).toStrictEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'crm' });
    expect(fastFail.message).toBe('The CRM system is unavailable.');
    expect(fastFail.detail.reason).toBe('circuit-open');
    expect(lines.find((l) => l.msg === 'upstream circuit opened; failing fast')).toMatchObject({
      level: 'warn',
      upstream: 'crm',
      circuit: 'open',
      openMs: 30_000,
    });
  });

  it('counts only failures within the window (injected clock)', async () => {
    server = await startLocalServer(fail(503));
    let now = 1_000_000;
    const c = clientFor({ failureThreshold: 5, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 4; i++) await failureOf(c.request({ path: '/contacts' }));
    now += 60_001;
    for (let i = 0; i < 4; i++) await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('closed');
    await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('open');
    expect(server.requests).toHaveLength(9);
  });

  it.each([400, 401, 403, 404, 409, 422, 429, 501])(
    'does not count a %i: the upstream is up and answering',
    async (status) => {
      server = await startLocalServer(fail(status));
      const c = clientFor({ failureThreshold: 5 });
      for (let i = 0; i < 8; i++) await failureOf(c.request({ path: '/contacts' }));
      expect(c.circuitState).toBe('closed');
      expect(server.requests).toHaveLength(8);
    },
  );

  it('counts transport errors and timeouts', async () => {
    const port = await closedPort();
    server = await startLocalServer(() => {
      // Never answers.
    });
    const refused = clientFor({ failureThreshold: 3 }, { baseUrl: `http://127.0.0.1:${port}` });
    for (let i = 0; i < 3; i++) await failureOf(refused.request({ path: '/contacts' }));
    expect(refused.circuitState).toBe('open');
    await refused.close();

    const slow = clientFor({ failureThreshold: 3 }, { timeoutMs: 50 });
    for (let i = 0; i < 3; i++) {
      expect((await failureOf(slow.request({ path: '/contacts' }))).code).toBe('UPSTREAM_TIMEOUT');
    }
    expect(slow.circuitState).toBe('open');
    expect((await failureOf(slow.request({ path: '/contacts' }))).detail.reason).toBe(
      'circuit-open',
    );
    expect(server.requests).toHaveLength(3);
  });

  it('after the open period lets exactly one trial through; its success closes the circuit', async () => {
    server = await startLocalServer(fail(500));
    const c = clientFor({ failureThreshold: 2, openMs: 200 });
    await failureOf(c.request({ path: '/contacts' }));
    await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('open');
    await sleep(220);

    server.handle((_req, res) => {
      setTimeout(() => sendJson(res, 200, { ok: true }), 100);
    });
    server.requests.length = 0;
    const calls = Array.from({ length: 5 }, () =>
      c.request({ path: '/contacts' }).then(
        () => 'ok',
        (e: UpstreamError) => `${e.code}:${e.detail.reason}`,
      ),
    );
    const results = await Promise.all(calls);
    expect(server.requests).toHaveLength(1);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'UPSTREAM_UNAVAILABLE:circuit-open')).toHaveLength(4);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
    expect(c.circuitState).toBe('closed');
    expect(lines.find((l) => l.msg === 'upstream circuit closed')).toMatchObject({
      level: 'info',
      upstream: 'crm',
    });

    // Closed again: calls reach the upstream, and old failures are forgotten.
    await expect(c.request({ path: '/contacts' })).resolves.toEqual({ ok: true });
    server.handle(fail(500));
    await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('closed');
  });

  it('a failed trial re-opens the circuit for another open period', async () => {
    server = await startLocalServer(fail(502));
    const c = clientFor({ failureThreshold: 2, openMs: 150 });
    await failureOf(c.request({ path: '/contacts' }));
    await failureOf(c.request({ path: '/contacts' }));
    await sleep(170);
    await failureOf(c.request({ path: '/contacts' }));
    expect(server.requests).toHaveLength(3);
    expect(changes).toEqual(['open', 'half-open', 'open']);
    await failureOf(c.request({ path: '/contacts' }));
    expect(server.requests).toHaveLength(3);
  });

  it('a 404 as the trial closes the circuit: the upstream answered', async () => {
    server = await startLocalServer(fail(500));
    const c = clientFor({ failureThreshold: 1, openMs: 100 });
    await failureOf(c.request({ path: '/contacts' }));
    await sleep(120);
    server.handle(fail(404));
    expect((await failureOf(c.request({ path: '/contacts/9' }))).code).toBe('NOT_FOUND');
    expect(c.circuitState).toBe('closed');
  });

  it('stops retrying once its own failures open the circuit', async () => {
    server = await startLocalServer(fail(503));
    const c = clientFor(
      { failureThreshold: 2 },
      { retry: { retries: 5, baseDelayMs: 1, maxDelayMs: 2 } },
    );
    const error = await failureOf(c.request({ path: '/contacts' }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests).toHaveLength(2);
  });

  it('counts each failed attempt, so two calls with three attempts each open it', async () => {
    server = await startLocalServer(fail(500));
    const c = clientFor(
      { failureThreshold: 5 },
      { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } },
    );
    await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('closed');
    await failureOf(c.request({ path: '/contacts' }));
    expect(c.circuitState).toBe('open');
    expect(server.requests).toHaveLength(5);
  });
});
