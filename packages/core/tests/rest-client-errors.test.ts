import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
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

describe('RestClient error mapping', () => {
  let server: LocalServer;
  let client: RestClient;

  beforeAll(async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 200, {}));
  });
  afterEach(async () => {
    server.requests.length = 0;
    await client?.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    [400, 'BAD_USER_INPUT'],
    [422, 'BAD_USER_INPUT'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [429, 'UPSTREAM_RATE_LIMITED'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    [504, 'UPSTREAM_TIMEOUT'],
    // Without a token provider a 401/403 means our credentials: the upstream is unusable.
    [401, 'UPSTREAM_UNAVAILABLE'],
    [403, 'UPSTREAM_UNAVAILABLE'],
  ])('maps upstream status %i to %s', async (status, code) => {
    server.handle((_req, res) => sendJson(res, status, { error: 'nope' }));
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    const error = await failureOf(client.request({ path: '/orders/O-1' }));
    expect(error.code).toBe(code);
    expect(error.extensions).toStrictEqual({ code, upstream: 'erp' });
    expect(error.detail.status).toBe(status);
    expect(error.detail.route).toBe('GET /orders/O-1');
    expect(server.requests).toHaveLength(1);
  });

  it('reports Retry-After seconds on a 429', async () => {
    server.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': '17' }));
    client = new RestClient({ upstream: 'crm', baseUrl: server.url, logger });
    const error = await failureOf(client.request({ path: '/contacts' }));
    expect(error.extensions).toStrictEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      upstream: 'crm',
      retryAfterSeconds: 17,
    });
  });

  it('reports a Retry-After HTTP date as the seconds until then', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    server.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': at }));
    client = new RestClient({ upstream: 'crm', baseUrl: server.url, logger });
    const error = await failureOf(client.request({ path: '/contacts' }));
    const seconds = error.extensions.retryAfterSeconds as number;
    // The header has whole-second precision and some time passes in flight.
    expect(seconds).toBeGreaterThanOrEqual(110);
    expect(seconds).toBeLessThanOrEqual(120);
  });

  it('leaves retryAfterSeconds out when Retry-After is absent or unreadable', async () => {
    server.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': 'soon' }));
    client = new RestClient({ upstream: 'crm', baseUrl: server.url, logger });
    const error = await failureOf(client.request({ path: '/contacts' }));
    expect(error.extensions).toStrictEqual({ code: 'UPSTREAM_RATE_LIMITED', upstream: 'crm' });
  });

  it('never exposes the upstream URL or body to clients', async () => {
    const secret = `secret-${Math.random().toString(36).slice(2)}`;
    server.handle((_req, res) =>
      sendJson(res, 500, { trace: `at db.query (${secret})`, sql: 'SELECT * FROM orders' }),
    );
    client = new RestClient({ upstream: 'erp', baseUrl: `${server.url}/internal-api`, logger });
    const error = await failureOf(
      client.request({ path: `/orders/${secret}`, route: 'GET /orders/:id' }),
    );
    const visible = JSON.stringify(error.toJSON());
    expect(error.message).toBe('The ERP system is unavailable.');
    expect(visible).not.toContain(secret);
    expect(visible).not.toContain('SELECT');
    expect(visible).not.toContain('127.0.0.1');
    expect(visible).not.toContain(String(server.port));
    expect(visible).not.toContain('internal-api');
    expect(error.extensions).toStrictEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'erp' });
    // The detail stays on the object, for the logs.
    expect(error.detail.body).toContain(secret);
    expect(error.detail.route).toBe('GET /orders/:id');
  });

  it('keeps at most 1000 characters of an error body', async () => {
    server.handle((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5_000));
    });
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    const error = await failureOf(client.request({ path: '/orders' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.detail.body).toHaveLength(1_000);
  });

  it('turns malformed JSON in a 2xx answer into UPSTREAM_UNAVAILABLE', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "O-1", "lines": [');
    });
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    const error = await failureOf(client.request({ path: '/orders/O-1' }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe('The ERP system sent an unreadable response.');
    expect(error.extensions).toStrictEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'erp' });
    expect(error.message).not.toContain('lines');
  });
});
