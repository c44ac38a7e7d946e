import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('RestClient requests', () => {
  let server: LocalServer;
  let client: RestClient;

  beforeAll(async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 200, { ok: true }));
  });
  afterEach(async () => {
    server.requests.length = 0;
    await client?.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it('returns the parsed JSON body of a 2xx answer', async () => {
    const order = { id: 'O-1', lines: [{ sku: 'A', qty: 2 }], total: '12.50' };
    server.handle((_req, res) => sendJson(res, 200, order));
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    await expect(client.request({ path: '/orders/O-1' })).resolves.toEqual(order);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.url).toBe('/orders/O-1');
    expect(server.requests[0]?.headers.accept).toBe('application/json');
  });

  it('returns undefined for an empty 2xx body', async () => {
    server.handle((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    await expect(client.request({ method: 'DELETE', path: '/orders/O-1' })).resolves.toBe(
      undefined,
    );
    expect(server.requests[0]?.method).toBe('DELETE');
  });

  it('serialises the query: arrays comma-joined, undefined and null skipped', async () => {
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    await client.request({
      path: '/orders',
      query: {
        ids: ['a', 'b', 'c d'],
        limit: 10,
        open: false,
        after: undefined,
        status: null,
        q: 'x&y=z',
      },
    });
    const url = new URL(server.requests[0]?.url ?? '', server.url);
    expect(url.pathname).toBe('/orders');
    expect([...url.searchParams.entries()]).toEqual([
      ['ids', 'a,b,c d'],
      ['limit', '10'],
      ['open', 'false'],
      ['q', 'x&y=z'],
    ]);
  });

  it('sends no query string when every value is unset', async () => {
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    await client.request({ path: '/orders', query: { after: undefined, status: null } });
    expect(server.requests[0]?.url).toBe('/orders');
  });

  it('keeps the path prefix of the base URL, with or without a trailing slash', async () => {
    client = new RestClient({ upstream: 'erp', baseUrl: `${server.url}/api/v2/`, logger });
    await client.request({ path: '/orders/O-1', query: { expand: ['lines'] } });
    const other = new RestClient({ upstream: 'erp', baseUrl: `${server.url}/api/v2`, logger });
    try {
      await other.request({ path: '/customers' });
    } finally {
      await other.close();
    }
    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/v2/orders/O-1?expand=lines',
      '/api/v2/customers',
    ]);
  });

  it('passes on the request id, trace context and idempotency key', async () => {
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const requestId = `req-${Math.random().toString(36).slice(2)}`;
    await client.request(
      { method: 'POST', path: '/orders', body: { sku: 'A' }, idempotencyKey: 'idem-42' },
      { requestId, traceparent },
    );
    const headers = server.requests[0]?.headers;
    expect(headers?.['x-request-id']).toBe(requestId);
    expect(headers?.traceparent).toBe(traceparent);
    expect(headers?.['idempotency-key']).toBe('idem-42');
  });

  it('sends none of those headers when they are not given', async () => {
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    await client.request({ path: '/orders' });
    const headers = server.requests[0]?.headers ?? {};
    expect(headers['x-request-id']).toBeUndefined();
    expect(headers.traceparent).toBeUndefined();
    expect(headers['idempotency-key']).toBeUndefined();
    expect(headers.authorization).toBeUndefined();
    expect(headers['content-type']).toBeUndefined();
  });

  it('sends a body as JSON with its content type', async () => {
    client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    const body = { sku: 'A-1', qty: 3, note: 'ünïcode' };
    await client.request({ method: 'PATCH', path: '/orders/O-1', body });
    expect(server.requests[0]?.method).toBe('PATCH');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual(body);
  });
});
