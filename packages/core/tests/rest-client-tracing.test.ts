import { startOtlpCollector } from '@bff/testing';
import type { OtlpCollector } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
import { createTracing } from '../src/tracing/Tracing.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const caller = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('RestClient tracing', () => {
  let server: LocalServer;
  let collector: OtlpCollector;
  beforeAll(async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 200, { ok: true }));
    collector = await startOtlpCollector();
  });
  afterAll(async () => {
    await server.close();
    await collector.close();
  });

  it("makes a client span per call under the caller's, and sends the upstream that span as its traceparent", async () => {
    const tracing = createTracing({ service: 'subgraph-erp', endpoint: collector.url, logger });
    const client = new RestClient({ upstream: 'erp', baseUrl: server.url, tracing, logger });
    await client.request({ path: '/orders/1', route: 'GET /orders/:id' }, { traceparent: caller });
    server.handle((_req, res) => sendJson(res, 503, { error: 'down' }));
    await expect(
      client.request({ path: '/orders/2', route: 'GET /orders/:id' }, { traceparent: caller }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await client.close();
    await tracing.shutdown();

    const [ok, failed] = collector.spans;
    expect(collector.spans).toHaveLength(2);
    for (const span of [ok, failed]) {
      expect(span).toMatchObject({
        service: 'subgraph-erp',
        name: 'GET /orders/:id',
        kind: 3,
        traceId: '0af7651916cd43dd8448eb211c80319c',
        parentSpanId: 'b7ad6b7169203331',
        attributes: { 'upstream.name': 'erp', 'http.request.method': 'GET' },
      });
    }
    expect(ok?.attributes['http.response.status_code']).toBe(200);
    expect(failed?.attributes['error.type']).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests[0]?.headers.traceparent).toBe(
      `00-0af7651916cd43dd8448eb211c80319c-${ok?.spanId}-01`,
    );
  });

  it("passes the caller's traceparent through unchanged with tracing off", async () => {
    server.requests.length = 0;
    server.handle((_req, res) => sendJson(res, 200, { ok: true }));
    const client = new RestClient({ upstream: 'erp', baseUrl: server.url, logger });
    await client.request({ path: '/orders/1' }, { traceparent: caller });
    await client.close();
    expect(server.requests[0]?.headers.traceparent).toBe(caller);
  });
});
