import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
import type { CallCompletedEvent, RestClientObserver } from '../src/rest/RestClientObserver.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

describe('RestClient observer and retry logging', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  it('reports each call once with its outcome, last status, duration and attempts', async () => {
    let seen = 0;
    server = await startLocalServer((_req, res) => {
      seen += 1;
      if (seen === 1) sendJson(res, 503, {});
      else if (seen === 2) sendJson(res, 200, { ok: true });
      else sendJson(res, 404, {});
    });
    const completed: CallCompletedEvent[] = [];
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      observer: { callCompleted: (e) => completed.push(e) },
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    await client.request({ path: '/orders/O-1', route: 'GET /orders/:id' });
    await client.request({ path: '/orders/O-2', route: 'GET /orders/:id' }).catch(() => undefined);
    expect(completed).toEqual([
      {
        upstream: 'erp',
        route: 'GET /orders/:id',
        method: 'GET',
        outcome: 'ok',
        status: 200,
        durationMs: expect.any(Number),
        attempts: 2,
      },
      {
        upstream: 'erp',
        route: 'GET /orders/:id',
        method: 'GET',
        outcome: 'NOT_FOUND',
        status: 404,
        durationMs: expect.any(Number),
        attempts: 1,
      },
    ]);
  });

  it('an observer that throws or rejects cannot break a call', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 500, {}));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const observer: RestClientObserver = {
      callCompleted: () => {
        throw new Error('metrics exploded');
      },
      retried: (async () => {
        throw new Error('async metrics exploded');
      }) as unknown as RestClientObserver['retried'],
      circuitChanged: () => {
        throw new Error('metrics exploded');
      },
    };
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
      breaker: { failureThreshold: 2 },
      observer,
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    const error = await client.request({ path: '/orders' }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('UPSTREAM_UNAVAILABLE');
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);

    server.handle((_req, res) => sendJson(res, 200, { ok: true }));
    const fine = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      observer,
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    await expect(fine.request({ path: '/orders' })).resolves.toEqual({ ok: true });
    await fine.close();
  });

  it('logs one info line per retry, with upstream, route, attempt, delay and reason', async () => {
    let seen = 0;
    server = await startLocalServer((_req, res) => {
      seen += 1;
      sendJson(res, seen < 3 ? 503 : 200, {});
    });
    const lines: Record<string, unknown>[] = [];
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 100, random: () => 0.5 },
      logger: createLogger(
        { service: 'test', level: 'info' },
        { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
      ),
    });
    await client.request({ path: '/orders/O-1', route: 'GET /orders/:id' });
    const retries = lines.filter((l) => l.msg === 'upstream call retried');
    expect(retries).toEqual([
      expect.objectContaining({
        level: 'info',
        upstream: 'erp',
        route: 'GET /orders/:id',
        attempt: 2,
        delayMs: 5,
        reason: 'unavailable',
        status: 503,
      }),
      expect.objectContaining({ attempt: 3, delayMs: 10, reason: 'unavailable' }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(server.url);
  });

  it('logs a final failure at warn with the attempts it took', async () => {
    server = await startLocalServer((req) => {
      req.socket.destroy();
    });
    const lines: Record<string, unknown>[] = [];
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
      logger: createLogger(
        { service: 'test', level: 'info' },
        { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
      ),
    });
    await client.request({ path: '/orders' }).catch(() => undefined);
    expect(lines.find((l) => l.msg === 'upstream call failed')).toMatchObject({
      level: 'warn',
      upstream: 'erp',
      route: 'GET /orders',
      attempts: 2,
      timedOut: false,
    });
  });
});
