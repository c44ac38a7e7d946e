import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
import { UpstreamError } from '../src/rest/UpstreamError.js';
import { closedPort, sendJson, startLocalServer } from './helpers/localServer.js';
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

describe('RestClient transport failures', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;

  afterEach(async () => {
    await server?.close();
    await client?.close();
    server = undefined;
    client = undefined;
  });

  it('gives up on a server that never answers with UPSTREAM_TIMEOUT', async () => {
    server = await startLocalServer(() => {
      // Never answers.
    });
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, timeoutMs: 200, logger });
    const started = performance.now();
    const error = await failureOf(client.request({ path: '/orders' }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.extensions).toStrictEqual({ code: 'UPSTREAM_TIMEOUT', upstream: 'erp' });
    expect(error.message).toBe('The ERP system did not answer within 200 ms.');
    expect(elapsed).toBeLessThan(3_000);
    expect(server.requests).toHaveLength(1);
  });

  it('applies a per-call timeout over the client default', async () => {
    server = await startLocalServer(() => {
      // Never answers.
    });
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, timeoutMs: 60_000, logger });
    const started = performance.now();
    const error = await failureOf(client.request({ path: '/orders', timeoutMs: 150 }));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.message).toBe('The ERP system did not answer within 150 ms.');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('times out a body that stops halfway', async () => {
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, timeoutMs: 200, logger });
    const error = await failureOf(client.request({ path: '/orders/O-1' }));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
  });

  it('reports a refused connection as UPSTREAM_UNAVAILABLE', async () => {
    const port = await closedPort();
    client = new RestClient({
      upstream: 'inventory',
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 2_000,
      logger,
    });
    const error = await failureOf(client.request({ path: '/stock' }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe('The INVENTORY system is unavailable.');
    expect(error.extensions).toStrictEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'inventory' });
    expect(error.message).not.toContain(String(port));
  });

  it('reports a caller abort as UPSTREAM_UNAVAILABLE, not as a timeout', async () => {
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    server = await startLocalServer(() => received());
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, timeoutMs: 10_000, logger });
    const controller = new AbortController();
    const call = failureOf(client.request({ path: '/orders' }, { signal: controller.signal }));
    await arrived;
    controller.abort();
    const error = await call;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('still answers after a timed-out call on the same client', async () => {
    let first = true;
    server = await startLocalServer((_req, res) => {
      if (first) {
        first = false;
        return;
      }
      sendJson(res, 200, { ok: 1 });
    });
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, timeoutMs: 200, logger });
    expect((await failureOf(client.request({ path: '/a' }))).code).toBe('UPSTREAM_TIMEOUT');
    await expect(client.request({ path: '/b' })).resolves.toEqual({ ok: 1 });
  });
});
